package io.pgfleet.worker.procedure.maintenance;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.TargetDatabase;
import io.pgfleet.worker.tool.ToolCall;
import io.pgfleet.worker.tool.ToolFailed;
import io.pgfleet.worker.tool.ToolResult;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of a client tool next to the server's (pg_amcheck, pg_repack) against the target
 * database: the connection travels in the environment, never on the command line; both streams are
 * drained (the last 16 KiB kept); a cancelled run kills the tool.
 */
public final class ClientToolRun {
  static final Duration BOUND = Duration.ofHours(24);

  private ClientToolRun() {}

  /** What the tool said and how it ended. */
  public record Exit(int code, String stdout, String stderr) {}

  /**
   * The tool named, chosen as pg_dump is: the target's pgBinDir, else Debian's directory of the
   * server's major (or the nearest newer), else PATH.
   */
  public static PgTools.Tool find(String name, TargetDatabase target, Connection c)
      throws ProcedureFailure {
    try {
      return PgTools.find(name, target.config().pgBinDir(), serverMajor(c));
    } catch (SQLException e) {
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR, "cannot read the server's version: " + e.getMessage());
    } catch (IllegalStateException e) {
      throw new ProcedureFailure(ErrorCode.CLIENT_TOOL_UNSUITABLE, e.getMessage());
    }
  }

  /** The server's major version, e.g. 15. */
  public static int serverMajor(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Runs the tool to its end: at most {@link #BOUND} (pg_repack of a large table takes hours; the
   * bound only ends one that hangs), killed with what it started on a cancel or an interrupt.
   */
  public static Exit run(
      PgTools.Tool tool,
      List<String> args,
      TargetDatabase target,
      String purpose,
      Cancellation cancellation)
      throws ProcedureFailure, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(tool.path().toString());
    command.addAll(args);
    ToolResult result;
    try {
      result =
          ToolCall.of(command)
              .withoutWorkerEnv()
              .env(
                  Map.of(
                      "PATH",
                      System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                      "LC_ALL",
                      "C.UTF-8"))
              .env(target.libpqEnvironment(purpose))
              .within(BOUND)
              .stoppedBy(cancellation::onCancel)
              .run();
    } catch (ToolFailed e) {
      throw new ProcedureFailure(ErrorCode.STATEMENT_TIMEOUT, target.redact(e.getMessage()));
    } catch (IOException e) {
      throw new ProcedureFailure(ErrorCode.CLIENT_TOOL_UNSUITABLE, e.getMessage());
    }
    cancellation.check();
    return new Exit(
        result.exitCode(), target.redact(result.stdout()), target.redact(result.stderr()));
  }
}
