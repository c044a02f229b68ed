package io.pgfleet.bench.wal;

import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Milliseconds per segment of every side and run, and the report made of them. */
final class WalPushTimings {
  final List<Double> push = new ArrayList<>();
  final List<Double> fastPush = new ArrayList<>();
  final List<Double> cp = new ArrayList<>();
  final List<Double> inJvmPush = new ArrayList<>();
  final List<Double> inJvmCopy = new ArrayList<>();
  final List<Double> start = new ArrayList<>();
  final List<Double> sh = new ArrayList<>();
  final List<Double> spool = new ArrayList<>();
  final List<Double> spoolCp = new ArrayList<>();
  final List<Integer> spoolJvms = new ArrayList<>();
  final List<Double> agent = new ArrayList<>();
  final List<Double> agentCp = new ArrayList<>();
  final List<Double> agentCpSync = new ArrayList<>();

  Report report(int segments, int runs, String serverVersion) {
    Samples pushS = Samples.of(push);
    Samples cpS = Samples.of(cp);
    Report report =
        new Report(
                String.format(
                    Locale.ROOT, "wal-push: %d segments of 16 MiB, %d runs each", segments, runs))
            // keeping up with a busy server: 16 MB/s of WAL is one segment a second
            .bounded("archive_command, ms per segment (a process each)", pushS, cpS, 1000)
            .row("segments/s, archive_command", throughput(push), throughput(cp), Double.NaN)
            .row(
                "archive_command with "
                    + String.join(" ", WalPushBench.FAST_START)
                    + ", ms per segment",
                Samples.of(fastPush),
                cpS,
                Double.NaN)
            .row(
                "in one process (WalArchive.push vs Files.copy), ms per segment",
                Samples.of(inJvmPush),
                Samples.of(inJvmCopy),
                Double.NaN)
            .row(
                "process start (pgfleet --version vs sh -c true), ms",
                Samples.of(start),
                Samples.of(sh),
                Double.NaN)
            .note(
                String.format(
                    Locale.ROOT,
                    "pgfleet: %.3g segments/s (%.3g MB/s of WAL) as archive_command; the runbooks'"
                        + " cp: %.3g segments/s",
                    1000 / pushS.median(),
                    16.777216 * 1000 / pushS.median(),
                    1000 / cpS.median()))
            .note("machine: " + Machine.describe(serverVersion));
    if (!spool.isEmpty()) {
      withSpool(report, segments);
    }
    return agent.isEmpty() ? report : withAgent(report);
  }

  /** The target: a steady writer's archive_command costs at most 3x cp per segment. */
  private Report withAgent(Report report) {
    Samples agentS = Samples.of(agent);
    return report
        .row(
            "archive_command through the resident wal-agent (pgfleet-wal-push), one segment ready"
                + " at a time, ms per segment",
            agentS,
            Samples.of(agentCp),
            3)
        .row(
            "the same against cp then fsync of the copy (cp && sync FILE), ms per segment",
            agentS,
            Samples.of(agentCpSync),
            Double.NaN)
        .note(
            String.format(
                Locale.ROOT,
                "wal-agent: a steady writer, one segment ready at a time; archive_command ="
                    + " pgfleet-wal-push (sh) waiting for the agent's marker, timed from the"
                    + " .ready; %.3g segments/s (%.3g MB/s of WAL)",
                1000 / agentS.median(),
                16.777216 * 1000 / agentS.median()));
  }

  private Report withSpool(Report report, int segments) {
    Samples spoolS = Samples.of(spool);
    return report
        .row(
            "archive_command with --spool (bash fast path), ms per segment",
            spoolS,
            Samples.of(spoolCp),
            Double.NaN)
        .row(
            "segments/s, archive_command with --spool",
            throughput(spool),
            throughput(spoolCp),
            Double.NaN)
        .note(
            String.format(
                Locale.ROOT,
                "--spool: every segment ready at once (a server behind); %s JVMs started for"
                    + " %d segments per run; %.3g segments/s (%.3g MB/s of WAL)",
                spoolJvms,
                segments,
                1000 / spoolS.median(),
                16.777216 * 1000 / spoolS.median()));
  }

  private static Samples throughput(List<Double> msPerSegment) {
    return Samples.of(msPerSegment.stream().map(ms -> 1000 / ms).toList());
  }
}
