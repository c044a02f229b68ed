package io.pgfleet.worker.procedure.statements;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ResetStatementStatsParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Confirmation;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.Extensions;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resets pg_stat_statements for the target database only ({@code pg_stat_statements_reset(0,
 * <database oid>, 0)}), or with {@code callsBelow} only its rarely called statements: other
 * databases of the same server keep their statistics. Destructive beyond a dry run (the statistics
 * are gone): the command must confirm.
 */
public final class ResetStatementStatsProcedure implements Procedure {
  static final SessionLimits DEFAULTS =
      new SessionLimits(Duration.ofSeconds(30), Duration.ofSeconds(1));
  private static final String COUNT =
      "SELECT count(*) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
          + " WHERE d.datname = current_database()";
  private static final String RESET =
      "SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database"
          + " WHERE datname = current_database()), 0)";

  @Override
  public Operation operation() {
    return Operation.RESET_STATEMENT_STATS;
  }

  @Override
  public boolean heavy() {
    return false;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    ResetStatementStatsParams params = ctx.command().params(ResetStatementStatsParams.class);
    String target = ctx.command().target();
    if (!params.dryRun()) {
      Confirmation.require(
          target,
          params.confirm(),
          "reset-statement-stats discards the pg_stat_statements statistics of '" + target + "'",
          "dryRun: true counts them; nothing was reset");
    }
    try (MaintenanceSession session =
        MaintenanceSession.open(ctx, Operation.RESET_STATEMENT_STATS, DEFAULTS)) {
      requireExtension(session);
      long before = count(session);
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("dryRun", params.dryRun());
      stats.put("statementsBefore", before);
      if (params.callsBelow() != null) {
        resetRarelyCalled(ctx, session, params, stats);
      } else if (!params.dryRun()) {
        try (PreparedStatement ps = session.connection().prepareStatement(RESET)) {
          ps.execute();
        } catch (SQLException e) {
          throw session.failure("resetting pg_stat_statements", e);
        }
        stats.put("statementsReset", before);
      }
      return new ProcedureResult(List.of(), stats);
    }
  }

  private static void resetRarelyCalled(
      RunContext ctx,
      MaintenanceSession session,
      ResetStatementStatsParams params,
      Map<String, Object> stats)
      throws ProcedureFailure, InterruptedException {
    RarelyCalledStatements rare = RarelyCalledStatements.find(session, params.callsBelow());
    stats.put("callsBelow", params.callsBelow());
    long hidden = rare.hidden();
    if (hidden > 0) {
      // Without pg_read_all_stats other roles' statements show no queryid: left as they are.
      stats.put("statementsNotVisible", hidden);
    }
    if (params.dryRun()) {
      stats.put("statementsWouldBeReset", rare.count());
    } else {
      stats.put("statementsReset", rare.reset(ctx));
    }
  }

  private static long count(MaintenanceSession session) throws ProcedureFailure {
    try (PreparedStatement ps = session.connection().prepareStatement(COUNT);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new ProcedureFailure(
          ErrorCode.EXTENSION_MISSING,
          "pg_stat_statements cannot be read in the database of "
              + session.targetName()
              + " ("
              + e.getMessage()
              + "): it must be in shared_preload_libraries (server restart); nothing was reset");
    }
  }

  private static void requireExtension(MaintenanceSession session) throws ProcedureFailure {
    Extensions.require(
        session,
        "pg_stat_statements",
        "add it to shared_preload_libraries (server restart) and run CREATE EXTENSION"
            + " pg_stat_statements there");
  }
}
