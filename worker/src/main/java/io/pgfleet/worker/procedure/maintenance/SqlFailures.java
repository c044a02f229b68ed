package io.pgfleet.worker.procedure.maintenance;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.target.TargetDatabase;
import java.sql.SQLException;
import java.time.Duration;

/** Turns a failed maintenance statement into a failure that says what happened and what to do. */
final class SqlFailures {
  private SqlFailures() {}

  static ProcedureFailure classify(
      String doing, SQLException e, MaintenanceSession session, TargetDatabase target) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String setting =
        "targets." + session.targetName() + ".timeouts." + session.operation().wireName();
    String cause = target.redact(e.getMessage());
    if (state.equals("55P03")) {
      return new ProcedureFailure(
          ErrorCode.LOCK_TIMEOUT,
          doing
              + " waited longer than its lock timeout ("
              + human(session.limits().lockTimeout())
              + ") for a lock another session holds: retry later, end the blocking session"
              + " (health-check shows it), or raise "
              + setting
              + ".lock",
          e);
    }
    if (state.equals("57014") && cause.contains("statement timeout")) {
      return new ProcedureFailure(
          ErrorCode.STATEMENT_TIMEOUT,
          doing
              + " ran longer than its statement timeout ("
              + human(session.limits().statementTimeout())
              + "): raise "
              + setting
              + ".statement for this target",
          e);
    }
    if (state.equals("42501")) {
      return new ProcedureFailure(
          ErrorCode.PERMISSION_DENIED,
          doing
              + " is not permitted: "
              + cause
              + ". The target's user "
              + target.config().user()
              + " must own the object (or the database)",
          e);
    }
    if (state.equals("42P01") || state.equals("42704")) {
      return new ProcedureFailure(ErrorCode.UNKNOWN_OBJECT, doing + " failed: " + cause, e);
    }
    if (state.startsWith("08") || state.equals("57P01")) {
      return new ProcedureFailure(
          ErrorCode.TARGET_UNREACHABLE, doing + " lost the connection: " + cause, e);
    }
    return new ProcedureFailure(ErrorCode.TARGET_ERROR, doing + " failed: " + cause, e);
  }

  static String human(Duration d) {
    if (d.isZero()) {
      return "none";
    }
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
