package io.pgfleet.dev;

import io.pgfleet.commands.result.ResultEvent;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The closing lines of {@code demo --fleet}: what succeeded, per kind and per purge policy. */
final class FleetResults {
  final Map<String, String> policies = new HashMap<>();
  List<ResultEvent> backups = List.of();
  List<ResultEvent> drills = List.of();
  List<ResultEvent> purges = List.of();
  List<ResultEvent> health = List.of();
  private final PrintStream out;

  FleetResults(PrintStream out) {
    this.out = out;
  }

  /** Prints the summary; true when every command of every kind succeeded. */
  boolean print(int databases, double seconds) {
    out.printf(
        "%n%d of %d databases backed up, %d of %d restore drills passed, in %.1f s%n",
        ok(backups), databases, ok(drills), drills.size(), seconds);
    Map<String, int[]> byPolicy = new TreeMap<>();
    for (ResultEvent e : purges) {
      int[] n = byPolicy.computeIfAbsent(policies.get(e.data().commandId()), p -> new int[2]);
      n[0] += FleetDemo.succeeded(e) ? 1 : 0;
      n[1]++;
    }
    out.printf("%d of %d retention purges done:%n", ok(purges), purges.size());
    byPolicy.forEach((p, n) -> out.printf("  %-17s %d of %d targets%n", p, n[0], n[1]));
    out.printf("%d of %d databases health-checked%n", ok(health), health.size());
    return ok(backups) == databases
        && ok(drills) == drills.size()
        && ok(purges) == purges.size()
        && ok(health) == health.size();
  }

  private static long ok(List<ResultEvent> results) {
    return results.stream().filter(FleetDemo::succeeded).count();
  }
}
