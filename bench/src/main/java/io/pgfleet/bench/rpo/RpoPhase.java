package io.pgfleet.bench.rpo;

import io.pgfleet.bench.Samples;
import io.pgfleet.local.LocalPostgres;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * One writer's run: it commits for the given time, then goes on committing (the server keeps
 * writing, as a live one would) until both archives hold the WAL of every commit counted, or a
 * bound passes. Returns each commit's time from acknowledgement to archive, both ways.
 */
final class RpoPhase {
  private final LocalPostgres pg;
  private final String database;
  private final ArchiveWatch streamed;
  private final ArchiveWatch archived;
  private final Duration drainBound;
  private final PrintStream log;

  /**
   * The lags, in seconds, of every commit counted. A commit not archived when the wait ended counts
   * with the time it had waited then (a lower bound), and is counted in {@code missing*}.
   */
  record Lags(
      List<Double> streamed,
      List<Double> archived,
      int missingStreamed,
      int missingArchived,
      double walMbPerSecond) {
    /** These commits and {@code earlier}'s (null: none) together. */
    Lags plus(Lags earlier) {
      if (earlier == null) {
        return this;
      }
      List<Double> s = new ArrayList<>(earlier.streamed());
      s.addAll(streamed);
      List<Double> a = new ArrayList<>(earlier.archived());
      a.addAll(archived);
      double rate =
          (earlier.walMbPerSecond() * earlier.streamed().size() + walMbPerSecond * streamed.size())
              / s.size();
      return new Lags(
          s,
          a,
          missingStreamed + earlier.missingStreamed(),
          missingArchived + earlier.missingArchived(),
          rate);
    }

    String summary(String phase) {
      Samples s = Samples.of(streamed);
      Samples a = Samples.of(archived);
      return String.format(
          Locale.ROOT,
          "%s: %d commits at %.1f MB/s of WAL; streamed median %.2f s, max %.2f s (%d not archived"
              + " by the end); archive_command median %.2f s, max %.2f s (%d not archived by the"
              + " end)",
          phase,
          streamed.size(),
          walMbPerSecond,
          s.median(),
          s.max(),
          missingStreamed,
          a.median(),
          a.max(),
          missingArchived);
    }
  }

  RpoPhase(
      LocalPostgres pg,
      String database,
      ArchiveWatch streamed,
      ArchiveWatch archived,
      Duration drainBound,
      PrintStream log) {
    this.pg = pg;
    this.database = database;
    this.streamed = streamed;
    this.archived = archived;
    this.drainBound = drainBound;
    this.log = log;
  }

  Lags measure(String name, int rowsPerCommit, long periodMs, int seconds) throws Exception {
    log.printf(
        Locale.ROOT,
        "%s writer: %d rows every %d ms for %d s%n",
        name,
        rowsPerCommit,
        periodMs,
        seconds);
    List<SteadyWriter.Commit> counted;
    long end;
    try (SteadyWriter writer = new SteadyWriter(pg.connect(database), rowsPerCommit, periodMs)) {
      Thread.sleep(seconds * 1000L);
      counted = writer.commits();
      long deadline = System.nanoTime() + drainBound.toNanos();
      while (System.nanoTime() < deadline && !allArchived(counted)) {
        Thread.sleep(200);
      }
      end = System.nanoTime();
    }
    Lags lags = lags(counted, end);
    log.println(lags.summary(name));
    return lags;
  }

  private boolean allArchived(List<SteadyWriter.Commit> commits) {
    SteadyWriter.Commit last = commits.get(commits.size() - 1);
    return streamed.archivedAt(last.lsn()).isPresent()
        && archived.archivedAt(last.lsn()).isPresent();
  }

  private Lags lags(List<SteadyWriter.Commit> commits, long end) {
    List<Double> s = new ArrayList<>();
    List<Double> a = new ArrayList<>();
    int missingS = 0;
    int missingA = 0;
    for (SteadyWriter.Commit c : commits) {
      OptionalLong st = streamed.archivedAt(c.lsn());
      OptionalLong at = archived.archivedAt(c.lsn());
      missingS += st.isPresent() ? 0 : 1;
      missingA += at.isPresent() ? 0 : 1;
      s.add(seconds(st.orElse(end) - c.ackedNanos()));
      a.add(seconds(at.orElse(end) - c.ackedNanos()));
    }
    SteadyWriter.Commit first = commits.get(0);
    SteadyWriter.Commit last = commits.get(commits.size() - 1);
    double rate =
        (last.lsn() - first.lsn())
            / 1e6
            / Math.max(1e-9, (last.ackedNanos() - first.ackedNanos()) / 1e9);
    return new Lags(s, a, missingS, missingA, rate);
  }

  private static double seconds(long nanos) {
    return Math.max(0, nanos) / 1e9;
  }
}
