package io.pgfleet.worker.failure;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.worker.config.TargetConfig;
import java.sql.SQLException;

/** A run that cannot succeed, with a stable code and a message that says what to fix. */
public final class ProcedureFailure extends Exception {
  private final ErrorCode code;

  public ProcedureFailure(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ProcedureFailure(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public RunError toError() {
    return RunError.of(code, getMessage());
  }

  /** A failed connection to a target, told apart by SQLSTATE: wrong password, down, other. */
  public static ProcedureFailure fromConnect(TargetConfig target, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String where = target.database() + " on " + target.host() + ":" + target.port();
    if (state.equals("28P01") || state.equals("28000")) {
      return new ProcedureFailure(
          ErrorCode.TARGET_AUTH_FAILED,
          "cannot log in to "
              + where
              + " as "
              + target.user()
              + ": "
              + e.getMessage()
              + ". Check the target's user and password in the worker config.",
          e);
    }
    if (state.startsWith("08") || state.equals("57P03")) {
      return new ProcedureFailure(
          ErrorCode.TARGET_UNREACHABLE, "cannot reach " + where + ": " + e.getMessage(), e);
    }
    return new ProcedureFailure(
        ErrorCode.TARGET_ERROR, "cannot connect to " + where + ": " + e.getMessage(), e);
  }
}
