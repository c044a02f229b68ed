package io.pgfleet.bench.pitr;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.local.LocalPostgres;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Scenario {@code rpo --crash}: the recovery point after a crash. A writer commits at a steady rate
 * (rows stamped with the server's clock_timestamp()) against a server whose WAL a worker streams to
 * S3 and whose archiver copies complete segments into a directory ({@code archive_timeout}). At a
 * random moment the server (postmaster and every backend) is killed with SIGKILL; then restore-pitr
 * recovers the newest base backup to the end of the streamed archive, and a pg_basebackup copy is
 * recovered from the archive_command directory. Commits lost = the last acknowledged commit's stamp
 * minus the newest stamp the recovered server holds.
 */
public final class RpoCrashBench {
  /**
   * @param seconds the writer commits for a random time between half of this and all of it
   * @param walMbPerSecond the writer's rate, as 1 KiB rows: 10 commits a second
   * @param partialInterval the streamer's {@code pitr.stream.partialInterval}
   * @param archiveTimeout the baseline's {@code archive_timeout}
   * @param runs crashes, each followed by both recoveries
   * @param pgfleetCommand how the server's OS user runs pgfleet (restore_command's wal-fetch)
   */
  public record Options(
      int seconds,
      int walMbPerSecond,
      Duration partialInterval,
      Duration archiveTimeout,
      int runs,
      Path dir,
      String pgfleetCommand) {}

  private RpoCrashBench() {}

  public static Report run(Options o, PrintStream log) throws Exception {
    try (BenchStack stack = BenchStack.start(o.dir())) {
      Path archive = Files.createDirectories(o.dir().resolve("archive-command"));
      Files.setPosixFilePermissions(archive, PosixFilePermissions.fromString("rwxrwxrwx"));
      Map<String, String> settings =
          Map.of(
              "archive_mode", "on",
              "archive_command", "test ! -f " + archive + "/%f && cp %p " + archive + "/%f",
              "archive_timeout", o.archiveTimeout().toSeconds() + "s");
      try (RecoveryRig rig =
          new RecoveryRig(stack, o.dir(), settings, o.partialInterval(), o.pgfleetCommand())) {
        LocalPostgres pg = rig.server();
        rig.awaitStreaming();
        new CrashWriter(pg.connect(RecoveryRig.TARGET), 1, 1000).close(); // the table
        rig.run(Operation.BASE_BACKUP, BaseBackupParams.defaults());
        CopyRecovery copy = CopyRecovery.take(rig, o.dir().resolve("copies"));
        List<Double> streamed = new ArrayList<>();
        List<Double> archived = new ArrayList<>();
        List<Double> restoreS = new ArrayList<>();
        Random random = new Random(15);
        int rows = o.walMbPerSecond() * 1024 / 10;
        for (int run = 1; run <= o.runs(); run++) {
          rig.awaitStreaming();
          long killAfterMs = o.seconds() * 500L + random.nextInt(o.seconds() * 500 + 1);
          log.printf(Locale.ROOT, "run %d: writer for %d ms, then SIGKILL%n", run, killAfterMs);
          Timestamp acked;
          int commits;
          try (CrashWriter writer = new CrashWriter(pg.connect(RecoveryRig.TARGET), rows, 100)) {
            Thread.sleep(killAfterMs);
            kill(pg);
            writer.awaitEnd(10_000);
            acked = writer.lastAcknowledged();
            commits = writer.commits();
          }
          RecoveryRig.Restored<Timestamp> restored =
              rig.restoreToEnd("crash-" + run, RpoCrashBench::lastRecovered);
          Timestamp viaStream = restored.checked();
          restoreS.add(restored.seconds());
          Map<String, Object> stats = restored.stats();
          Timestamp viaArchiver = copy.recoverLastCommit(archive, "archived-" + run);
          streamed.add(lost(acked, viaStream));
          archived.add(lost(acked, viaArchiver));
          log.printf(
              Locale.ROOT,
              "run %d: %d commits, last acknowledged %s; restore-pitr (%.1f s, %s) holds %s: %.2f s"
                  + " lost; archive_command copy holds %s: %.2f s lost%n",
              run,
              commits,
              acked,
              restoreS.get(restoreS.size() - 1),
              stats,
              viaStream,
              streamed.get(streamed.size() - 1),
              viaArchiver,
              archived.get(archived.size() - 1));
          restart(rig);
        }
        return new Report("rpo after SIGKILL: restore-pitr to the end of the archive")
            .bounded(
                "s of acknowledged commits lost (writer at ~"
                    + o.walMbPerSecond()
                    + " MB/s of WAL)",
                Samples.of(streamed),
                Samples.of(archived),
                5.0)
            .measured("restore-pitr, s from publish to promoted server", Samples.of(restoreS))
            .note("machine: " + Machine.describe(stack.serverVersion()))
            .note(
                "pgfleet: WAL streamed by the worker to S3 (partialInterval "
                    + o.partialInterval().toSeconds()
                    + " s), restore-pitr of the newest base backup to the end of the archive;"
                    + " baseline: archive_command = cp into a local directory, archive_timeout "
                    + o.archiveTimeout().toSeconds()
                    + " s, a pg_basebackup copy recovered with restore_command = cp")
            .note(
                "lost = clock_timestamp() of the last commit the writer saw acknowledged minus"
                    + " max(clock_timestamp()) in the recovered server; the server (postmaster and"
                    + " every child) killed with SIGKILL after a random "
                    + o.seconds() / 2
                    + "-"
                    + o.seconds()
                    + " s of writing (seed 15)");
      }
    }
  }

  static Timestamp lastRecovered(Connection c) throws Exception {
    try (c;
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT max(at) FROM " + CrashWriter.TABLE)) {
      rs.next();
      return rs.getTimestamp(1);
    }
  }

  private static double lost(Timestamp acked, Timestamp recovered) {
    if (acked == null) {
      return 0;
    }
    if (recovered == null) {
      return Double.POSITIVE_INFINITY;
    }
    long micros = Duration.between(recovered.toInstant(), acked.toInstant()).toNanos() / 1_000;
    return Math.max(0, micros) / 1e6;
  }

  /** SIGKILL to the postmaster and all its children at once: nothing flushed, nothing sent. */
  private static void kill(LocalPostgres pg) throws Exception {
    String pid = Files.readAllLines(pg.dataDir().resolve("postmaster.pid")).get(0).trim();
    Process ps = new ProcessBuilder("ps", "-o", "pid=", "--ppid", pid).start();
    List<String> command = new ArrayList<>(List.of("kill", "-9", pid));
    for (String child : new String(ps.getInputStream().readAllBytes()).trim().split("\\s+")) {
      if (!child.isBlank()) {
        command.add(child);
      }
    }
    ps.waitFor();
    new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  /** Starts the killed server again (crash recovery), so that the next run and close() work. */
  private static void restart(RecoveryRig rig) throws Exception {
    LocalPostgres pg = rig.server();
    rig.asServerUser(
        List.of(
            pg.binDir().resolve("pg_ctl").toString(),
            "-D",
            pg.dataDir().toString(),
            "-l",
            pg.logFile().toString(),
            "-w",
            "-t",
            "300",
            "start"));
  }
}
