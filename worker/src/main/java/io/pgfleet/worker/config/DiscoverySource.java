package io.pgfleet.worker.config;

import io.pgfleet.commands.TargetName;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A server whose databases become targets: every database whose name matches one of include and
 * none of exclude (globs with * and ?) is a target named after it, with template's settings.
 * Template databases and the maintenance database are never targets.
 *
 * @param name the server's name in the config file (for messages and metrics)
 * @param template host, credentials, operations and policies of every discovered target; its
 *     database is the maintenance database the list is read from
 * @param include globs of database names to serve; default {@code ["*"]}
 * @param exclude globs of database names never to serve; default none
 * @param refresh how often the list is read again; default 60 s
 */
public record DiscoverySource(
    String name,
    TargetConfig template,
    List<String> include,
    List<String> exclude,
    Duration refresh) {
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(60);

  public DiscoverySource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(template, "template");
    include = include == null || include.isEmpty() ? List.of("*") : List.copyOf(include);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    refresh = refresh == null ? DEFAULT_REFRESH : refresh;
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("discovery." + name + ".refresh: must be positive");
    }
  }

  /** The database the list of databases is read from; never a target itself. */
  public String maintenanceDatabase() {
    return template.database();
  }

  /**
   * The target for one discovered database (name = database). Throws IllegalArgumentException if
   * the database name is not a valid target name.
   */
  public TargetConfig targetFor(String database) {
    TargetName.require(database);
    return template.toBuilder(database).database(database).build();
  }
}
