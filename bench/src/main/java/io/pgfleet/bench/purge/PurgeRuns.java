package io.pgfleet.bench.purge;

import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** What the purge scenario measured, run by run, and the report made of it. */
final class PurgeRuns {
  /** One purge, as measured from outside. */
  record Run(double seconds, double longestTransactionMs, double p99Ms, double insertsPerSecond) {}

  private final List<Run> pgfleet = new ArrayList<>();
  private final List<Run> baseline = new ArrayList<>();
  private final List<Map<String, Object>> reported = new ArrayList<>();

  void pgfleet(Run run, Map<String, Object> statistics) {
    pgfleet.add(run);
    reported.add(statistics);
  }

  private final List<Double> analyzeSeconds = new ArrayList<>();

  /** A baseline DELETE, and how long the runbook's ANALYZE after it took. */
  void baseline(Run run, double analyze) {
    baseline.add(run);
    analyzeSeconds.add(analyze);
  }

  Report report(int rows, String serverVersion, String batching) {
    Samples purgeSeconds = reported("purgeMs", 1e-3);
    double[] runbook = new double[baseline.size()];
    for (int i = 0; i < runbook.length; i++) {
      runbook[i] = baseline.get(i).seconds() + analyzeSeconds.get(i);
    }
    return new Report(
            String.format(
                Locale.ROOT,
                "purge: %,d expired outbox rows while another connection inserts (%d runs each)",
                rows,
                pgfleet.size()))
        .row(
            "total time vs DELETE + ANALYZE (the runbook), s",
            of(pgfleet, Run::seconds),
            new Samples(runbook),
            1.1)
        .row(
            "total time vs the DELETE alone, s",
            of(pgfleet, Run::seconds),
            of(baseline, Run::seconds),
            1.1)
        .row(
            "purge phase (before its ANALYZE) vs the DELETE alone, s",
            purgeSeconds,
            of(baseline, Run::seconds),
            Double.NaN)
        .bounded(
            "longest transaction, ms",
            of(pgfleet, Run::longestTransactionMs),
            of(baseline, Run::longestTransactionMs),
            1000)
        .row("inserter p99 latency, ms", of(pgfleet, Run::p99Ms), of(baseline, Run::p99Ms), 2)
        .row(
            "inserts per second during the purge and its ANALYZE",
            of(pgfleet, Run::insertsPerSecond),
            of(baseline, Run::insertsPerSecond),
            Double.NaN)
        .note(
            "pgfleet: `purge` command (policy "
                + PurgeBench.POLICY
                + ", "
                + batching
                + ") through a worker; time from publish to result, ANALYZE included.")
        .note(
            String.format(
                Locale.ROOT,
                "pgfleet's own statistics (medians): purge phase %.2f s (%.2fx the baseline), of"
                    + " which %.2f s inside its transactions; then ANALYZE %.0f ms; %.0f batches;"
                    + " longest transaction %.0f ms.",
                purgeSeconds.median(),
                purgeSeconds.median() / of(baseline, Run::seconds).median(),
                reported("transactionsMs", 1e-3).median(),
                reported("maintenanceMs", 1).median(),
                reported("batches", 1).median(),
                reported("longestTransactionMs", 1).median()))
        .note(
            String.format(
                Locale.ROOT,
                "baseline: one `%s`, then `ANALYZE outbox_events` as the runbook does (median"
                    + " %.0f ms, timed apart; the inserter's latency and rate are measured over"
                    + " the DELETE and its ANALYZE, as pgfleet's over its purge and ANALYZE, and"
                    + " the longest transaction over both).",
                PurgeBench.DELETE,
                new Samples(analyzeSeconds.stream().mapToDouble(d -> d * 1000).toArray()).median()))
        .note(
            "Longest transaction: oldest xact_start in pg_stat_activity, sampled every 5 ms, both"
                + " sides. Each run starts from an identical copy of the data; sides alternate.")
        .note("machine: " + Machine.describe(serverVersion) + "; fsync and synchronous_commit on.");
  }

  private Samples reported(String statistic, double scale) {
    return new Samples(
        reported.stream()
            .mapToDouble(m -> ((Number) m.get(statistic)).doubleValue() * scale)
            .toArray());
  }

  private static Samples of(List<Run> runs, ToDoubleFunction<Run> metric) {
    return new Samples(runs.stream().mapToDouble(metric).toArray());
  }
}
