package io.pgfleet.dev.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One line per fault scenario in {@code target/fault-summary.txt}, which the build prints at the
 * end: what was done, and what was lost or executed twice (the guarantees say: nothing).
 */
final class FaultSummary {
  private static final Path FILE = Path.of("target", "fault-summary.txt");
  private static final String HEADER =
      String.format(
          "%nfault-injection suite (tag \"faults\")%n%-34s %7s %9s %10s %5s %10s%n",
          "scenario", "trials", "commands", "executions", "lost", "duplicated");

  private static boolean started;

  private FaultSummary() {}

  static synchronized void record(
      String scenario, int trials, int commands, int executions, int lost, int duplicated) {
    try {
      if (!started) {
        started = true;
        Files.deleteIfExists(FILE);
      }
      if (!Files.exists(FILE)) {
        Files.createDirectories(FILE.getParent());
        Files.writeString(FILE, HEADER, StandardCharsets.UTF_8);
      }
      Files.writeString(
          FILE,
          String.format(
              "%-34s %7d %9d %10d %5d %10d%n",
              scenario, trials, commands, executions, lost, duplicated),
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + FILE, e);
    }
  }
}
