package io.pgfleet.worker.procedure.repack;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RepackParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Confirmation;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.ClientToolRun;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.procedure.maintenance.Tables;
import io.pgfleet.worker.sql.TableRef;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Rebuilds tables online with pg_repack: the runbooks' alternative to VACUUM FULL. pg_repack holds
 * an ACCESS EXCLUSIVE lock briefly at its start and end; it waits at most the lock timeout for it
 * and then gives up ({@code --no-kill-backend}) instead of cancelling other sessions. Destructive
 * beyond a dry run: the target must allow it ({@code allow.repack}) and the command must confirm.
 */
public final class RepackProcedure implements Procedure {
  static final SessionLimits DEFAULTS =
      new SessionLimits(Duration.ofMinutes(1), Duration.ofSeconds(30));
  private static final String DEAD_TUPLES = "dead-tuples";

  private final BiFunction<String, String, Optional<RunReport>> lastSucceeded;

  public RepackProcedure(BiFunction<String, String, Optional<RunReport>> lastSucceeded) {
    this.lastSucceeded = lastSucceeded;
  }

  @Override
  public Operation operation() {
    return Operation.REPACK;
  }

  /** A dry run only lists what it would repack. */
  @Override
  public boolean heavy(Command command) {
    return !command.params(RepackParams.class).dryRun();
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    RepackParams params = ctx.command().params(RepackParams.class);
    if (!params.dryRun()) {
      authorize(ctx, params);
    }
    try (MaintenanceSession session = MaintenanceSession.open(ctx, Operation.REPACK, DEFAULTS)) {
      RepackExtension.require(session);
      PgTools.Tool tool = RepackTool.find(session, ctx.target().config().pgBinDir());
      List<TableRef> tables = tables(ctx, session, params);
      List<Map<String, Object>> done = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      long before = 0;
      long after = 0;
      for (TableRef table : tables) {
        ctx.cancellation().check();
        long size = size(session, table);
        String outcome = repack(ctx, session, tool, table, params.dryRun());
        long sizeAfter = size(session, table);
        before += size;
        after += sizeAfter;
        if (!outcome.equals("repacked") && !outcome.equals("would repack")) {
          failed.add(table + ": " + outcome);
        }
        done.add(
            Items.of(
                "table", table.toString(),
                "bytesBefore", size,
                "bytesAfter", sizeAfter,
                "result", outcome));
      }
      if (!failed.isEmpty()) {
        throw new ProcedureFailure(
            ErrorCode.TARGET_ERROR,
            "pg_repack did not repack " + String.join("; ", failed) + " (the others were done)");
      }
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("dryRun", params.dryRun());
      stats.put("source", params.bloated() ? "last health check" : "command");
      stats.put("tables", done);
      stats.put("bytesBefore", before);
      stats.put("bytesAfter", after);
      return new ProcedureResult(List.of(), stats);
    }
  }

  private static void authorize(RunContext ctx, RepackParams params) throws ProcedureFailure {
    String target = ctx.command().target();
    if (!ctx.target().config().maintenance().allowRepack()) {
      throw new ProcedureFailure(
          ErrorCode.OPERATION_NOT_ALLOWED,
          "repack takes brief ACCESS EXCLUSIVE locks on each table, and target '"
              + target
              + "' does not allow it: set targets."
              + target
              + ".allow.repack: true in the worker config if it should (a dryRun works without"
              + " it)");
    }
    Confirmation.require(
        target,
        params.confirm(),
        "repack rewrites tables of '" + target + "'",
        "dryRun: true shows what it would do; nothing was changed");
  }

  private List<TableRef> tables(RunContext ctx, MaintenanceSession session, RepackParams params)
      throws ProcedureFailure {
    List<String> names = params.tables();
    if (params.bloated()) {
      String target = ctx.command().target();
      RunReport health =
          lastSucceeded
              .apply(target, Operation.HEALTH_CHECK.wireName())
              .orElseThrow(
                  () ->
                      new ProcedureFailure(
                          ErrorCode.UNKNOWN_OBJECT,
                          "no successful health check of "
                              + target
                              + " yet, so no bloated tables are known: run one (pgfleet submit"
                              + " health-check) or name the tables"));
      names = bloatedTables(health);
    }
    try {
      return Tables.resolve(session.connection(), names);
    } catch (SQLException e) {
      throw session.failure("checking the tables", e);
    }
  }

  /** The tables a health check listed under dead-tuples at warning or above. */
  static List<String> bloatedTables(RunReport health) {
    List<String> names = new ArrayList<>();
    if (health.findings() == null) {
      return names;
    }
    for (Finding f : health.findings()) {
      if (DEAD_TUPLES.equals(f.check())
          && f.status() != Finding.Status.OK
          && f.status() != Finding.Status.UNKNOWN
          && f.items() != null) {
        for (Map<String, Object> item : f.items()) {
          if (item.get("table") instanceof String name && !names.contains(name)) {
            names.add(name);
          }
        }
      }
    }
    return names;
  }

  private static String repack(
      RunContext ctx, MaintenanceSession session, PgTools.Tool tool, TableRef table, boolean dry)
      throws ProcedureFailure, InterruptedException {
    long waitSeconds = Math.max(1, session.limits().lockTimeout().toSeconds());
    List<String> args = new ArrayList<>();
    args.add("--no-password");
    args.add("--no-kill-backend");
    args.add("--wait-timeout=" + waitSeconds);
    args.add("--table=" + table.sql());
    if (dry) {
      args.add("--dry-run");
    }
    ClientToolRun.Exit exit =
        ClientToolRun.run(
            tool, args, ctx.target(), Operation.REPACK.wireName(), ctx.cancellation());
    String said = (exit.stderr() + "\n" + exit.stdout()).trim();
    String problem =
        said.lines()
            .filter(l -> l.startsWith("WARNING") || l.startsWith("ERROR"))
            .findFirst()
            .orElse(null);
    if (exit.code() != 0 || problem != null) {
      return problem != null ? problem : "pg_repack exited with " + exit.code() + ": " + said;
    }
    return dry ? "would repack" : "repacked";
  }

  private static long size(MaintenanceSession session, TableRef table) throws ProcedureFailure {
    try (PreparedStatement ps =
        session
            .connection()
            .prepareStatement("SELECT pg_total_relation_size(format('%I.%I', ?, ?)::regclass)")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.table());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw session.failure("measuring " + table, e);
    }
  }
}
