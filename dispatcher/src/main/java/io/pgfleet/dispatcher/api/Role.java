package io.pgfleet.dispatcher.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What an API token may do. Each role may do everything the one before it may. */
public enum Role {
  /** Reads runs, targets and schedules. */
  READ_ONLY,
  /** Also submits non-destructive commands (backups, vacuums, health checks, ...). */
  REQUESTER,
  /** Also submits destructive commands (restore, terminate-backends, ...). */
  OPERATOR;

  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public boolean includes(Role other) {
    return compareTo(other) >= 0;
  }

  public static Optional<Role> fromConfigName(String name) {
    return Arrays.stream(values()).filter(r -> r.configName().equals(name)).findFirst();
  }

  public static String configNames() {
    return Arrays.stream(values()).map(Role::configName).collect(Collectors.joining(", "));
  }
}
