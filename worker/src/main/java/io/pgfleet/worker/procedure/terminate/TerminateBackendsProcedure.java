package io.pgfleet.worker.procedure.terminate;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.TerminateBackendsParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Confirmation;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.procedure.maintenance.Rows;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cancels the queries of, or terminates, the sessions of the target database that match a filter.
 * Never this run's own session, never other pgfleet sessions unless named by application_name,
 * never superuser sessions unless asked. Destructive: unless it is a dry run, the target's config
 * must allow it and the command must repeat the target's name in {@code confirm}. Not heavy: an
 * emergency must not wait for a vacuum to finish.
 */
public final class TerminateBackendsProcedure implements Procedure {
  static final SessionLimits DEFAULTS =
      new SessionLimits(Duration.ofSeconds(30), Duration.ofSeconds(1));

  private static final String SESSIONS =
      """
      SELECT a.pid, a.backend_start::text, a.usename, a.application_name, a.state,
             CASE WHEN a.state = 'active' THEN extract(epoch FROM now() - a.query_start) END,
             CASE WHEN a.state LIKE 'idle in transaction%'
                  THEN extract(epoch FROM now() - a.state_change) END,
             coalesce(r.rolsuper, false), a.query,
             CASE WHEN a.state = 'idle' THEN extract(epoch FROM now() - a.state_change) END
      FROM pg_stat_activity a LEFT JOIN pg_roles r ON r.oid = a.usesysid
      WHERE a.datname = current_database() AND a.backend_type = 'client backend'
        AND a.pid <> pg_backend_pid()
      ORDER BY a.backend_start
      """;

  @Override
  public Operation operation() {
    return Operation.TERMINATE_BACKENDS;
  }

  @Override
  public boolean heavy() {
    return false;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    TerminateBackendsParams params = ctx.command().params(TerminateBackendsParams.class);
    if (!params.dryRun()) {
      authorize(ctx, params);
    }
    try (MaintenanceSession session =
        MaintenanceSession.open(ctx, Operation.TERMINATE_BACKENDS, DEFAULTS)) {
      List<Backend> backends = list(session);
      if (params.pids() != null) {
        RequestedPids.requireSessionsOfTheDatabase(session, params.pids(), backends);
      }
      Hits outcome = new Hits(params, seesAllSessions(session));
      for (Backend b : backends) {
        if (!b.matches(params)) {
          if (params.pids() != null && params.pids().contains(b.pid())) {
            outcome.notMatched(b);
          }
          continue;
        }
        String spared = b.spared(params);
        if (spared != null) {
          outcome.spared(b, spared);
        } else if (params.dryRun()) {
          outcome.wouldHit(b);
        } else {
          ctx.cancellation().check();
          outcome.signalled(b, signal(session.connection(), b, params.terminates()));
        }
      }
      outcome.requireAllSignalled(session.targetName(), ctx.target().config().user());
      return new ProcedureResult(List.of(), outcome.statistics());
    }
  }

  private static void authorize(RunContext ctx, TerminateBackendsParams params)
      throws ProcedureFailure {
    String target = ctx.command().target();
    if (!ctx.target().config().maintenance().allowTerminateBackends()) {
      throw new ProcedureFailure(
          ErrorCode.OPERATION_NOT_ALLOWED,
          "terminate-backends ends other people's work, and target '"
              + target
              + "' does not allow it: set targets."
              + target
              + ".allow.terminateBackends: true in the worker config if it should (a dryRun"
              + " works without it)");
    }
    Confirmation.require(
        target,
        params.confirm(),
        "terminate-backends " + params.action() + "s sessions of '" + target + "'",
        "dryRun: true shows what it would hit; nothing was signalled");
  }

  private static boolean seesAllSessions(MaintenanceSession session) throws ProcedureFailure {
    try (PreparedStatement ps =
            session
                .connection()
                .prepareStatement(
                    "SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')"
                        + " FROM pg_roles WHERE rolname = current_user");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    } catch (SQLException e) {
      throw session.failure("checking which sessions the target's user can see", e);
    }
  }

  private static List<Backend> list(MaintenanceSession session) throws ProcedureFailure {
    List<Backend> out = new ArrayList<>();
    try (PreparedStatement ps = session.connection().prepareStatement(SESSIONS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Backend(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                Rows.nullableDouble(rs, 6),
                Rows.nullableDouble(rs, 7),
                rs.getBoolean(8),
                rs.getString(9),
                Rows.nullableDouble(rs, 10)));
      }
    } catch (SQLException e) {
      throw session.failure("listing the sessions of the database", e);
    }
    return out;
  }

  /**
   * Signals one session if it is still the one listed (same pid and start time); returns what
   * happened: cancelled, terminated, gone, or refused with the server's reason.
   */
  private static String signal(Connection c, Backend b, boolean terminate) {
    String function = terminate ? "pg_terminate_backend" : "pg_cancel_backend";
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + function
                + "(pid) FROM pg_stat_activity WHERE pid = ? AND backend_start::text = ?")) {
      ps.setInt(1, b.pid());
      ps.setString(2, b.backendStart());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return "gone";
        }
        return rs.getBoolean(1) ? (terminate ? "terminated" : "cancelled") : "gone";
      }
    } catch (SQLException e) {
      return "refused: " + e.getMessage();
    }
  }
}
