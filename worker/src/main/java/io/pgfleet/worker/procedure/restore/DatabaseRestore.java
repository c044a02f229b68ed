package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.config.ServerLogin;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RowCounts;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.sql.TableRef;
import io.pgfleet.worker.target.PgTools;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole-database restores from a verified local copy of a backup. Both modes restore into a fresh
 * database first and prove its row counts against the manifest; only then does {@code replace} end
 * the sessions of the target database, drop it, and give the restored one its name. A restore that
 * fails leaves the target database as it was.
 */
final class DatabaseRestore {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private final RunContext ctx;
  private final TargetConfig config;
  private final StoredBackup backup;
  private final LocalCopy copy;
  private final Restorer restorer;

  DatabaseRestore(RunContext ctx, EncryptionKeys keys, StoredBackup backup, LocalCopy copy) {
    this.ctx = ctx;
    this.config = ctx.target().config();
    this.backup = backup;
    this.copy = copy;
    this.restorer = new Restorer(ctx.target(), keys, ctx.cancellation());
  }

  Map<String, Object> intoNewDatabase(String requested)
      throws ProcedureFailure, InterruptedException {
    String name =
        requested != null
            ? requested
            : config.database() + "_restored_" + STAMP.format(backup.manifest().finishedAt());
    requireName(name);
    try (ServerAdmin admin = ServerAdmin.connect(config.restore().adminOn(config), "restore")) {
      if (admin.exists(name)) {
        throw new ProcedureFailure(
            ErrorCode.RESTORE_CONFLICT,
            "database "
                + name
                + " already exists: a new-database restore never touches existing data; choose"
                + " another name");
      }
      Map<String, Long> counts = restoreFresh(admin, name);
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("database", name);
      stats.put("tables", counts.size());
      stats.put("rows", sum(counts));
      return stats;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  Map<String, Object> replace() throws ProcedureFailure, InterruptedException {
    String target = config.database();
    String staging = "pgfleet_restore_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
    try (ServerAdmin admin = ServerAdmin.connect(config.restore().adminOn(config), "restore")) {
      Map<String, Long> counts = restoreFresh(admin, staging);
      int terminated = 0;
      if (admin.exists(target)) {
        terminated = admin.closeAndTerminate(target);
        admin.drop(target);
      }
      admin.rename(staging, target);
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("database", target);
      stats.put("sessionsTerminated", terminated);
      stats.put("tables", counts.size());
      stats.put("rows", sum(counts));
      return stats;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  /**
   * Creates {@code name} owned by the target's user, restores the backup into it as that user and
   * proves its counts; drops it again if anything fails.
   */
  private Map<String, Long> restoreFresh(ServerAdmin admin, String name)
      throws ProcedureFailure, InterruptedException, SQLException {
    PgTools.Tool tool = restorer.tool(backup, admin.serverMajor());
    admin.create(name, config.user());
    boolean done = false;
    try {
      ServerLogin owner = ServerLogin.of(config);
      try (BackupReader reader = copy.reader()) {
        restorer.run(
            reader,
            tool,
            copy.with(arguments(name), true),
            owner.libpqEnvironment(name, "restore"),
            false);
      } catch (java.io.IOException e) {
        throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, e.getMessage(), e);
      }
      Map<String, Long> counts;
      try (Connection c = ServerAdmin.open(owner, name, "restore")) {
        counts = RowCounts.count(c);
      }
      List<String> differences = RowCounts.differences(Drill.expected(backup), counts);
      if (!differences.isEmpty()) {
        throw new ProcedureFailure(
            ErrorCode.VERIFICATION_FAILED,
            "the restored database differs from the manifest in "
                + differences.size()
                + " table(s): "
                + String.join("; ", differences));
      }
      done = true;
      return counts;
    } finally {
      if (!done) {
        try {
          admin.drop(name);
        } catch (SQLException e) {
          org.slf4j.LoggerFactory.getLogger(DatabaseRestore.class)
              .warn("could not drop the unfinished restore {}: {}", name, e.getMessage());
        }
      }
    }
  }

  private List<String> arguments(String database) {
    List<String> args =
        new ArrayList<>(List.of("--dbname=" + database, "--exit-on-error", "--no-password"));
    if (config.restore().noOwner()) {
      args.add("--no-owner");
    }
    if (config.restore().noPrivileges()) {
      args.add("--no-privileges");
    }
    return args;
  }

  private static void requireName(String name) throws ProcedureFailure {
    try {
      TableRef.requireIdentifier(name, "database");
    } catch (IllegalArgumentException e) {
      throw new ProcedureFailure(ErrorCode.INVALID_COMMAND, e.getMessage(), e);
    }
  }

  private ProcedureFailure failed(SQLException e) {
    return new ProcedureFailure(
        ErrorCode.TARGET_ERROR,
        "restoring " + backup.uri() + " on " + config.host() + " failed: " + e.getMessage(),
        e);
  }

  static long sum(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
