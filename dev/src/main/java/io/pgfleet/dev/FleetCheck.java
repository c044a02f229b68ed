package io.pgfleet.dev;

import io.pgfleet.runtime.config.FleetReport;
import io.pgfleet.runtime.config.SettingsFile;
import io.pgfleet.worker.config.WorkerConfigFile;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary of {@code pgfleet config check} on the demo's fleet file: its policy drift and
 * problems (the per-target listing is {@code ./pgfleet config check FILE}).
 */
final class FleetCheck {
  private FleetCheck() {}

  static void print(Path file, PrintStream out) {
    List<String> problems = new ArrayList<>();
    List<String> lines = FleetReport.lines(SettingsFile.read(file), problems);
    long targets = lines.stream().filter(l -> !l.startsWith(" ") && l.endsWith(":")).count();
    out.println(
        "  " + targets + " targets; settings and their origins: ./pgfleet config check " + file);
    boolean drift = false;
    for (String line : lines) {
      drift |= line.startsWith("policy drift");
      if (drift) {
        out.println("  " + line);
      }
    }
    if (problems.isEmpty()) {
      try {
        WorkerConfigFile.load(file);
      } catch (RuntimeException e) {
        problems.add(e.getMessage());
      }
    }
    out.println(
        problems.isEmpty() ? "  " + file.getFileName() + ": ok" : "  problems: " + problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("the demo's fleet file has problems: " + problems);
    }
  }
}
