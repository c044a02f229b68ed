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

  /**
   * A terminal outcome ends the run (a duplicate reports one that ended): nothing more is published
   * for the command.
   */
  public boolean isTerminal() {
    return runState().map(RunState::isTerminal).orElse(true);
  }

  /**
   * The state a run is in once this event is applied. A duplicate says nothing new about the run:
   * the state it reports is its original's ({@link Original#outcome()}).
   */
  public Optional<RunState> runState() {
    return switch (this) {
      case STARTED, PROGRESS -> Optional.of(RunState.RUNNING);
      case SUCCEEDED -> Optional.of(RunState.SUCCEEDED);
      case FAILED -> Optional.of(RunState.FAILED);
      case REJECTED -> Optional.of(RunState.REJECTED);
      case EXPIRED -> Optional.of(RunState.EXPIRED);
      case DUPLICATE -> Optional.empty();
    };
  }

  /** The event announcing that a run reached {@code state}; none announces a queued run. */
  public static Optional<Outcome> announcing(RunState state) {
    return switch (state) {
      case QUEUED -> Optional.empty();
      case RUNNING -> Optional.of(STARTED);
      case SUCCEEDED -> Optional.of(SUCCEEDED);
      case FAILED -> Optional.of(FAILED);
      case REJECTED -> Optional.of(REJECTED);
      case EXPIRED -> Optional.of(EXPIRED);
    };
  }

  public static Optional<Outcome> fromEventType(String type) {
    return Arrays.stream(values()).filter(o -> o.eventType().equals(type)).findFirst();
  }

  public static Optional<Outcome> fromWireName(String name) {
    return Arrays.stream(values()).filter(o -> o.wireName().equals(name)).findFirst();
  }
}
