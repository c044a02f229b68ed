package io.pgfleet.bench.pitr;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBaseBackupParams;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario {@code pitr}: the recovery time (RTO) of a database of {@code bytes}: it is built,
 * backed up with base-backup, then about as many bytes of WAL are written after the backup (a
 * second table as large, streamed to S3 by the worker), and restore-pitr recovers to the end of the
 * archive. The result's phases say where the time goes: download and unpack of the base backup,
 * then recovery (WAL prefetched into a local spool, each restore_command a copy). The physical
 * drill (verify-base-backup: pg_verifybackup, recovery, pg_amcheck) runs on the same backup after.
 */
public final class PitrRtoBench {
  private static final int ROW_BYTES = 520;

  /**
   * @param bytes size of the database backed up, and of the WAL written after
   * @param pgfleetCommand how the server's OS user runs pgfleet (restore_command's wal-fetch)
   */
  public record Options(long bytes, int runs, Path dir, String pgfleetCommand) {}

  private PitrRtoBench() {}

  public static Report run(Options o, PrintStream log) throws Exception {
    try (BenchStack stack = BenchStack.start(o.dir());
        RecoveryRig rig =
            new RecoveryRig(stack, o.dir(), Map.of(), Duration.ofSeconds(5), o.pgfleetCommand())) {
      LocalPostgres pg = rig.server();
      rig.awaitStreaming();
      long rows = Math.max(1000, o.bytes() / ROW_BYTES);
      log.printf(Locale.ROOT, "building %,d rows (~%,d MB)...%n", rows, o.bytes() / 1_000_000);
      fill(pg, "base_rows", rows);
      String size = query(pg, "SELECT pg_size_pretty(pg_database_size(current_database()))");
      Map<String, Object> backup = rig.run(Operation.BASE_BACKUP, BaseBackupParams.defaults());
      String walStart = query(pg, "SELECT pg_current_wal_lsn()::text");
      log.printf(
          Locale.ROOT,
          "database %s backed up; writing ~%,d MB of WAL...%n",
          size,
          o.bytes() / 1_000_000);
      fill(pg, "after_rows", rows);
      String walBytes =
          query(
              pg,
              "SELECT pg_size_pretty(pg_wal_lsn_diff(pg_current_wal_lsn(), '" + walStart + "'))");
      String last = query(pg, "SELECT pg_walfile_name(pg_switch_wal())");
      awaitArchived(rig, last);
      long expected = Long.parseLong(query(pg, "SELECT count(*) FROM after_rows"));
      List<Double> rto = new ArrayList<>();
      List<Double> download = new ArrayList<>();
      List<Double> recovery = new ArrayList<>();
      List<String> phases = new ArrayList<>();
      for (int run = 1; run <= o.runs(); run++) {
        RecoveryRig.Restored<Long> restored =
            rig.restoreToEnd(
                "rto-" + run, c -> Long.parseLong(first(c, "SELECT count(*) FROM after_rows")));
        Map<String, Object> stats = restored.stats();
        if (restored.checked() != expected) {
          throw new IllegalStateException(
              "restore-pitr recovered " + restored.checked() + " rows of " + expected);
        }
        rto.add(restored.seconds());
        download.add(((Number) stats.get("downloadMs")).doubleValue() / 1000);
        recovery.add(((Number) stats.get("recoveryMs")).doubleValue() / 1000);
        phases.add(
            String.format(
                Locale.ROOT,
                "run %d: %.1f s (download+unpack %.1f s, recovery %.1f s; %s segments prefetched,"
                    + " %s taken from the spool by restore_command, %s other files answered by"
                    + " the worker)",
                run,
                rto.get(rto.size() - 1),
                download.get(download.size() - 1),
                recovery.get(recovery.size() - 1),
                stats.get("walPrefetched"),
                stats.get("walFromSpool"),
                stats.get("walAnswered")));
        log.println(phases.get(phases.size() - 1));
      }
      List<Double> jvm = walFetchAlone(rig, o, last, 3);
      long t1 = System.nanoTime();
      Map<String, Object> drill =
          rig.run(Operation.VERIFY_BASE_BACKUP, VerifyBaseBackupParams.latest());
      double drillS = (System.nanoTime() - t1) / 1e9;
      Report report =
          new Report("pitr: restore-pitr of a " + size + " database plus " + walBytes + " of WAL")
              .bounded(
                  "RTO: restore-pitr, s from publish to promoted server",
                  Samples.of(rto),
                  null,
                  120)
              .measured("download and unpack of the base backup, s", Samples.of(download))
              .measured("recovery (WAL replay to the end of the archive), s", Samples.of(recovery))
              .note("machine: " + Machine.describe(stack.serverVersion()))
              .note(
                  "base backup: "
                      + backup.get("storedBytes")
                      + " bytes stored; the archive holds the WAL streamed by the worker");
      phases.forEach(report::note);
      report.note(
          String.format(
              Locale.ROOT,
              "without the spool each segment is one restore_command running wal-fetch: timed"
                  + " alone (as the server's OS user, %d runs) %.2f s per segment (%.2f-%.2f), i.e."
                  + " about %.0f s for these %s segments on top of the replay",
              jvm.size(),
              Samples.of(jvm).median(),
              Samples.of(jvm).min(),
              Samples.of(jvm).max(),
              Samples.of(jvm).median() * ((Number) drill.get("walFromSpool")).doubleValue(),
              drill.get("walFromSpool")));
      return report.note(
          String.format(
              Locale.ROOT,
              "physical drill (verify-base-backup) on the same backup: %.1f s, rtoMs %s,"
                  + " pg_verifybackup %s, pg_amcheck %s, %s segments prefetched, %s from the spool,"
                  + " %s answered by the worker",
              drillS,
              drill.get("rtoMs"),
              drill.get("pgVerifybackup"),
              drill.get("pgAmcheck"),
              drill.get("walPrefetched"),
              drill.get("walFromSpool"),
              drill.get("walAnswered")));
    }
  }

  /** restore_command's wal-fetch of one segment, started {@code runs} times as the server would. */
  private static List<Double> walFetchAlone(RecoveryRig rig, Options o, String segment, int runs)
      throws Exception {
    Path out = RecoveryRig.open(java.nio.file.Files.createDirectories(o.dir().resolve("fetched")));
    java.nio.file.Files.setPosixFilePermissions(
        out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    List<Double> seconds = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      rig.asServerUser(
          List.of(
              "sh",
              "-c",
              o.pgfleetCommand()
                  + " wal-fetch --config "
                  + rig.archiveConfig()
                  + " --target "
                  + RecoveryRig.TARGET
                  + " "
                  + segment
                  + " "
                  + out.resolve(segment + "-" + i)));
      seconds.add((System.nanoTime() - t0) / 1e9);
    }
    return seconds;
  }

  private static void fill(LocalPostgres pg, String table, long rows) throws Exception {
    try (Connection c = pg.connect(RecoveryRig.TARGET);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id bigint, payload text)");
      for (long from = 1; from <= rows; from += 500_000) {
        long to = Math.min(rows, from + 499_999);
        st.execute(
            "INSERT INTO "
                + table
                + " SELECT g, repeat(md5(g::text), 15) FROM generate_series("
                + from
                + ", "
                + to
                + ") g");
      }
    }
  }

  private static void awaitArchived(RecoveryRig rig, String segment) throws Exception {
    try (ArtifactStore store = ArtifactStore.connect(rig.storage())) {
      WalArchive archive = new WalArchive(store, RecoveryRig.TARGET);
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (!archive.list().contains(new WalFileName(segment))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(segment + " not streamed within 10 minutes");
        }
        Thread.sleep(500);
      }
    }
  }

  private static String query(LocalPostgres pg, String sql) throws Exception {
    try (Connection c = pg.connect(RecoveryRig.TARGET)) {
      return first(c, sql);
    }
  }

  private static String first(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
