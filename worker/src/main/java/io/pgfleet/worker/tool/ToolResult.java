package io.pgfleet.worker.tool;

/** How a tool ended and the last 16 KiB of what it printed on each stream. */
public record ToolResult(String tool, int exitCode, String stdout, String stderr) {
  /** How much of a tool's output a failure message quotes: its end, where the reason usually is. */
  static final int QUOTED = 2_000;

  /** This result, if the tool exited with 0. */
  public ToolResult requireSuccess() throws ToolFailed {
    if (exitCode != 0) {
      throw new ToolFailed(failure());
    }
    return this;
  }

  /**
   * "pg_amcheck exited with code 2: ..." quoting the end of stderr, then of stdout (pg_amcheck
   * reports corruption there).
   */
  public String failure() {
    String said =
        stderr.isBlank() || stdout.isBlank()
            ? tail(stderr + stdout)
            : tail(stderr) + " | stdout: " + tail(stdout);
    return tool + " exited with code " + exitCode + (said.isEmpty() ? " (no output)" : ": " + said);
  }

  static String tail(String text) {
    String trimmed = text.strip();
    return trimmed.length() <= QUOTED
        ? trimmed
        : "..." + trimmed.substring(trimmed.length() - QUOTED);
  }
}
