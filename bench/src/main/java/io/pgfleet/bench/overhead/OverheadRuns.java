package io.pgfleet.bench.overhead;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** What the command-overhead scenario measured, run by run, and the report made of it. */
final class OverheadRuns {
  /**
   * One batch of commands.
   *
   * @param seconds from the first command published (the first psql started) to the last result
   *     received (the last psql exited)
   * @param latencyMs per command: publish to result event (psql: start to exit)
   * @param phases pgfleet only, per command, ms: waiting, executing, finishing (else null)
   */
  record Run(int commands, double seconds, double[] latencyMs, double[][] phases) {
    Samples latencies() {
      return new Samples(latencyMs);
    }
  }

  private final int commands;
  private final int targets;
  private final List<Run> pgfleet = new ArrayList<>();
  private final List<Run> baseline = new ArrayList<>();

  OverheadRuns(int commands, int targets) {
    this.commands = commands;
    this.targets = targets;
  }

  void pgfleet(Run run) {
    pgfleet.add(run);
  }

  void baseline(Run run) {
    baseline.add(run);
  }

  Report report(int concurrentRuns, int lightRuns, String machine) {
    return new Report(
            String.format(
                Locale.ROOT,
                "command-overhead: %,d cheap commands (ANALYZE of a 1,000-row table) across %d"
                    + " targets (%d runs each)",
                commands,
                targets,
                pgfleet.size()))
        .row(
            String.format(
                Locale.ROOT, "time for %,d commands, s (target: throughput >= 5x)", commands),
            of(pgfleet, Run::seconds),
            of(baseline, Run::seconds),
            0.2)
        .row(
            "commands per second",
            of(pgfleet, r -> r.commands() / r.seconds()),
            of(baseline, r -> r.commands() / r.seconds()),
            Double.NaN)
        .row(
            "latency p50, ms",
            of(pgfleet, r -> r.latencies().percentile(50)),
            of(baseline, r -> r.latencies().percentile(50)),
            Double.NaN)
        .row(
            "latency p99, ms",
            of(pgfleet, r -> r.latencies().percentile(99)),
            of(baseline, r -> r.latencies().percentile(99)),
            Double.NaN)
        .note(
            String.format(
                Locale.ROOT,
                "pgfleet: `analyze` commands (`tables: [t]`) published all at once, round-robin"
                    + " over the targets; one in-process worker, maxConcurrentRuns %d and %d light"
                    + " runs at a time (analyze is light; shipped: 2 and 8); latency from publish to the terminal result event as"
                    + " a consumer of the results topic reads it (it includes the wait behind the"
                    + " target's earlier commands).",
                concurrentRuns,
                lightRuns))
        .note(
            String.format(
                Locale.ROOT,
                "Where a pgfleet command's time goes (medians over all commands, ms, from the"
                    + " runs' own timestamps): waiting %.1f (Kafka, the target's earlier commands,"
                    + " the pool, the claim), running %.1f (start event, lease, connect, ANALYZE),"
                    + " finishing %.1f (ledger terminal state, result acknowledged, marked"
                    + " published, read back).",
                phase(0),
                phase(1),
                phase(2)))
        .note(
            "baseline: `psql -X -q -c \"ANALYZE t\"` per command, one after the other, each"
                + " against the next database; latency is psql's run time.")
        .note("Sides alternate. machine: " + machine + "; fsync and synchronous_commit on.");
  }

  private double phase(int index) {
    List<Double> all = new ArrayList<>();
    for (Run r : pgfleet) {
      for (double v : r.phases()[index]) {
        all.add(v);
      }
    }
    return Samples.of(all).median();
  }

  private static Samples of(List<Run> runs, ToDoubleFunction<Run> metric) {
    return new Samples(runs.stream().mapToDouble(metric).toArray());
  }
}
