package io.pgfleet.commands.result;

import java.util.Arrays;
import java.util.Optional;

/** What a result event says about a run; the event type is {@code io.pgfleet.run.<name>.v1}. */
public enum Outcome {
  STARTED,
  PROGRESS,
  SUCCEEDED,
  FAILED,
  REJECTED,
  EXPIRED,
  DUPLICATE;

  private static final String PREFIX = "io.pgfleet.run.";
  private static final String SUFFIX = ".v1";

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public String eventType() {
    return PREFIX + wireName() + SUFFIX;
  }

  public String dataSchemaPath() {
    return "results/" + wireName() + ".schema.json";
  }

  /** A terminal outcome ends the run: nothing more is published for the command. */
  public boolean isTerminal() {
    return this != STARTED && this != PROGRESS;
  }

  public static Optional<Outcome> fromEventType(String type) {
    return Arrays.stream(values()).filter(o -> o.eventType().equals(type)).findFirst();
  }

  public static Optional<Outcome> fromWireName(String name) {
    return Arrays.stream(values()).filter(o -> o.wireName().equals(name)).findFirst();
  }
}
