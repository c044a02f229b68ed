package io.pgfleet.worker.procedure.maintenance;

import io.pgfleet.commands.Operation;
import io.pgfleet.worker.config.Timeouts;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The target connection of one maintenance run: named {@code pgfleet-<operation>}, with the
 * operation's statement and lock timeouts (the target's config may override the defaults), and a
 * running statement is cancelled on the server when the run is cancelled (lease lost, shutdown).
 * The connection goes back to the target's idle ones when the session closes.
 */
public final class MaintenanceSession implements AutoCloseable {
  private final Connection connection;
  private final RunContext context;
  private final Operation operation;
  private final SessionLimits limits;
  private volatile Statement running;

  private MaintenanceSession(
      Connection connection, RunContext context, Operation operation, SessionLimits limits) {
    this.connection = connection;
    this.context = context;
    this.operation = operation;
    this.limits = limits;
  }

  public static MaintenanceSession open(
      RunContext context, Operation operation, SessionLimits defaults) throws ProcedureFailure {
    SessionLimits limits = limits(context, operation, defaults);
    Connection c = context.target().session(operation.wireName(), limits);
    MaintenanceSession session = new MaintenanceSession(c, context, operation, limits);
    context.cancellation().onCancel(session::cancelRunning);
    return session;
  }

  /** The operation's defaults, with whatever the target's config overrides. */
  static SessionLimits limits(RunContext context, Operation operation, SessionLimits defaults) {
    Timeouts t = context.target().config().maintenance().timeouts(operation).orElse(null);
    if (t == null) {
      return defaults;
    }
    return new SessionLimits(
        t.statement() == null ? defaults.statementTimeout() : t.statement(),
        t.lock() == null ? defaults.lockTimeout() : t.lock());
  }

  public Connection connection() {
    return connection;
  }

  public SessionLimits limits() {
    return limits;
  }

  public Operation operation() {
    return operation;
  }

  public String targetName() {
    return context.target().config().name();
  }

  /**
   * Executes one statement and returns the INFO, NOTICE and WARNING messages the server sent with
   * it (VERBOSE output, skipped tables).
   *
   * @throws InterruptedException when the run was cancelled while the statement ran
   */
  public List<ServerMessages.Message> execute(String sql)
      throws SQLException, InterruptedException {
    context.cancellation().check();
    try (Statement st = connection.createStatement()) {
      running = st;
      try {
        st.execute(sql);
        return ServerMessages.of(st);
      } catch (SQLException e) {
        if (context.cancellation().isCancelled()) {
          throw new InterruptedException(context.cancellation().reason());
        }
        throw e;
      } finally {
        running = null;
      }
    }
  }

  /** A failure of a statement, classified, in words that say what to change. */
  public ProcedureFailure failure(String doing, SQLException e) {
    return SqlFailures.classify(doing, e, this, context.target());
  }

  private void cancelRunning() {
    Statement st = running;
    if (st != null) {
      try {
        st.cancel();
      } catch (SQLException ignored) {
        // the statement ended meanwhile
      }
    }
  }

  @Override
  public void close() {
    context.target().release(connection);
  }
}
