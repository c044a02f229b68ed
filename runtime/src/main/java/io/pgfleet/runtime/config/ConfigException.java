package io.pgfleet.runtime.config;

import java.util.List;

/** The worker's configuration is unusable; the message says what to change. */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  public ConfigException(String message) {
    super(message);
    this.problems = message == null ? List.of() : List.of(message);
  }

  /** Several problems of one file, each with its path; the message lists them all under it. */
  ConfigException(Object source, List<String> problems) {
    super(
        source
            + " has "
            + problems.size()
            + " problem(s):\n  - "
            + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem on its own, for a caller that lists them beside others (config check). */
  public List<String> problems() {
    return problems;
  }
}
