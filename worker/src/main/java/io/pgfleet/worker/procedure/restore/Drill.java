package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.archive.TableDigest;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.config.ServerLogin;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RowCounts;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.target.PgTools;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Restores a backup into a scratch database straight from the object store (sha256 checked on the
 * way; a directory-format dump is first downloaded and checked file by file, then restored with
 * parallel jobs), proves its content against the manifest, and drops the scratch database whatever
 * happens. A custom archive read as it streamed holds each table's rows, bytes and hash of its COPY
 * data: pg_dump writes the restored tables' data again and every table must match all three; each
 * table is read back as soon as pg_restore has committed it ({@link ReadBackWhileRestoring}). Other
 * backups (directory format, schema-only, made before content hashes) are compared by row counts.
 * With more than one job, a custom backup is first decoded into a local file and restored with
 * {@code pg_restore --jobs} (which cannot read stdin), each table read back as soon as its data and
 * constraints are in ({@link ParallelRestoreProgress}) while other jobs still run. A large table is
 * read in page ranges side by side ({@link LargeTableReads}).
 */
public final class Drill {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Drill.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private final RunContext ctx;
  private final EncryptionKeys keys;

  public Drill(RunContext ctx, EncryptionKeys keys) {
    this.ctx = ctx;
    this.keys = keys;
  }

  /**
   * A passed drill: the restored counts (equal to the manifest's), where it ran, and whether every
   * table's content (rows, bytes, hash of its COPY data) was proved equal to the manifest's; how
   * long the restore and the check of what it restored took.
   */
  public record Result(
      Map<String, Long> counts,
      String server,
      boolean contentVerified,
      long restoreMs,
      long checkMs,
      int tablesReadDuringRestore,
      int tablesReadInParts,
      int jobs) {}

  /**
   * @param jobs pg_restore jobs for a custom backup: 1 streams the archive into one pg_restore;
   *     more restore a decoded local copy ({@link LocalCopy#decoded}) with that many jobs
   */
  public Result run(StoredBackup backup, int jobs) throws ProcedureFailure, InterruptedException {
    ServerLogin login = ctx.target().config().restore().scratchFor(ctx.target().config());
    String scratch = "pgfleet_drill_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
    Restorer restorer = new Restorer(ctx.target(), keys, ctx.cancellation());
    try (ServerAdmin admin = ServerAdmin.connect(login, "verify-backup")) {
      PgTools.Tool tool = restorer.tool(backup, admin.serverMajor());
      LocalCopy copy = null;
      ReadBackWhileRestoring early = null;
      boolean provable = RestoredContent.provable(backup.manifest());
      Map<String, String> env = login.libpqEnvironment(scratch, "verify-backup");
      Map<String, String> restoreEnv = ScratchRestoreSession.environment(env);
      LargeTableReads large =
          LargeTableReads.of(
              () -> ServerAdmin.open(login, scratch, "verify-backup"),
              backup.manifest().archive() == null ? null : backup.manifest().archive().encoding(),
              provable ? RestoredContent.rowHash(backup.manifest()) : null,
              jobs,
              admin.serverMajor());
      try {
        long started = System.nanoTime();
        if (backup.manifest().directory()) {
          copy = LocalCopy.download(ctx, backup, keys, null); // checked before anything is created
        } else if (jobs > 1) {
          copy = LocalCopy.decoded(ctx, backup, keys, jobs); // checked before anything is created
        }
        admin.create(scratch, null);
        List<String> arguments =
            List.of(
                "--dbname=" + scratch,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--no-password");
        if (copy != null) {
          List<String> restore = copy.with(arguments, true);
          PgRestore process = new PgRestore(tool, restore, restoreEnv);
          if (provable) { // a decoded custom archive, restored with jobs
            String listing = listing(restorer, copy, tool, restoreEnv);
            early =
                new ReadBackWhileRestoring(
                    pgDump(admin.serverMajor()), env, large, backup.manifest(), ctx.cancellation());
            process =
                PgRestore.reporting(tool, restore, restoreEnv, early.parallelProgress(listing));
          }
          try (BackupReader reader = copy.reader()) {
            restorer.run(reader, process, false);
          } catch (java.io.IOException e) {
            throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, e.getMessage(), e);
          }
        } else if (provable) {
          early =
              new ReadBackWhileRestoring(
                  pgDump(admin.serverMajor()), env, large, backup.manifest(), ctx.cancellation());
          try (BackupReader reader = BackupReader.fromStore(ctx.store(), backup)) {
            restorer.run(
                reader, PgRestore.reporting(tool, arguments, restoreEnv, early.progress()), true);
          }
        } else {
          try (BackupReader reader = BackupReader.fromStore(ctx.store(), backup)) {
            restorer.run(reader, tool, arguments, restoreEnv, true);
          }
        }
        long restored = System.nanoTime();
        Map<String, Long> counts;
        List<String> differences;
        if (provable) {
          Map<String, TableDigest.Content> content =
              early != null
                  ? early.finish(ctx.cancellation())
                  : RestoredContent.read(
                      pgDump(admin.serverMajor()), env, backup.manifest(), ctx.cancellation());
          counts = new TreeMap<>();
          content.forEach((table, c) -> counts.put(table, c.rows()));
          differences = RestoredContent.differences(backup.manifest(), content);
        } else {
          try (Connection c = admin.connectTo(scratch)) {
            counts = RowCounts.count(c);
          }
          differences = RowCounts.differences(expected(backup), counts);
        }
        if (!differences.isEmpty()) {
          throw new ProcedureFailure(
              ErrorCode.VERIFICATION_FAILED,
              "the restored content differs from the manifest of "
                  + backup.uri()
                  + " in "
                  + differences.size()
                  + " table(s): "
                  + String.join("; ", differences));
        }
        long checked = System.nanoTime();
        return new Result(
            counts,
            login.describe(),
            provable,
            (restored - started) / 1_000_000,
            (checked - restored) / 1_000_000,
            early == null ? 0 : early.readEarly(),
            large.tablesReadInParts(),
            copy == null ? 1 : copy.jobs());
      } finally {
        if (early != null) {
          early.close();
        }
        dropQuietly(admin, scratch);
        if (copy != null) {
          copy.close();
        }
      }
    } catch (SQLException e) {
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR,
          "the restore drill on " + login.describe() + " failed: " + e.getMessage(),
          e);
    }
  }

  /** {@code pg_restore --list} of a local copy pg_restore opens itself: its table of contents. */
  private static String listing(
      Restorer restorer, LocalCopy copy, PgTools.Tool tool, Map<String, String> environment)
      throws ProcedureFailure, InterruptedException {
    try (BackupReader none = copy.reader()) {
      return restorer
          .run(none, tool, copy.with(List.of("--list"), false), environment, false)
          .stdout();
    } catch (java.io.IOException e) {
      throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, e.getMessage(), e);
    }
  }

  private PgTools.Tool pgDump(int serverMajor) throws ProcedureFailure {
    try {
      return PgTools.find("pg_dump", ctx.target().config().pgBinDir(), serverMajor);
    } catch (IllegalStateException e) {
      throw new ProcedureFailure(ErrorCode.CLIENT_TOOL_UNSUITABLE, e.getMessage(), e);
    }
  }

  /** Drops the scratch database; a failure here must not hide the drill's own outcome. */
  private static void dropQuietly(ServerAdmin admin, String scratch) {
    try {
      admin.drop(scratch);
    } catch (SQLException e) {
      log.warn("could not drop scratch database {}: {}", scratch, e.getMessage());
    }
  }

  /** What the manifest says the restore must hold; a schema-only dump holds empty tables. */
  static Map<String, Long> expected(StoredBackup backup) {
    Map<String, Long> rows = new TreeMap<>(backup.manifest().rowsByTable());
    if (Boolean.TRUE.equals(backup.manifest().dump().schemaOnly())) {
      rows.replaceAll((table, n) -> 0L);
    }
    return rows;
  }
}
