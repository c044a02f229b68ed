package io.pgfleet.worker.target;

import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Connections to one target database, as configured in the worker. Each connection names pgfleet
 * and the operation in {@code application_name}, so DBAs can see who is working on their server.
 * Maintenance sessions reuse the target's idle connections ({@link #session}).
 */
public final class TargetDatabase implements AutoCloseable {
  private final TargetConfig config;
  private final TargetPool pool = new TargetPool();

  public TargetDatabase(TargetConfig config) {
    this.config = config;
  }

  public TargetConfig config() {
    return config;
  }

  /** A connection with the operation's timeouts set on its session. */
  public Connection connect(String purpose, SessionLimits limits) throws ProcedureFailure {
    Connection c = connect(purpose);
    try {
      limits.apply(c);
      return c;
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already failing
      }
      throw ProcedureFailure.fromConnect(config, e);
    }
  }

  /**
   * A session for one run, with the operation's timeouts: an idle connection of an earlier run,
   * reset so that nothing it set survives, or a new one. Give it back with {@link #release}.
   */
  public Connection session(String purpose, SessionLimits limits) throws ProcedureFailure {
    for (Connection reused = pool.poll(); reused != null; reused = pool.poll()) {
      try {
        SessionReset.apply(reused, purpose, limits);
        return reused;
      } catch (SQLException e) {
        TargetPool.closeQuietly(reused); // broken meanwhile (server restarted): try the next
      }
    }
    return connect(purpose, limits);
  }

  /** Takes back a connection from {@link #session}, kept for the next run if it is fit. */
  public void release(Connection c) {
    pool.offer(c);
  }

  /** Closes the idle connections unused for a while. */
  public void trimIdle() {
    pool.trim();
  }

  /** How many idle connections are kept for the next run. */
  public int idleConnections() {
    return pool.idleCount();
  }

  @Override
  public void close() {
    pool.close();
  }

  public Connection connect(String purpose) throws ProcedureFailure {
    Properties props = new Properties();
    props.setProperty("user", config.user());
    props.setProperty("password", config.password().reveal());
    props.setProperty("ApplicationName", "pgfleet-" + purpose);
    props.setProperty("sslmode", config.sslMode());
    props.setProperty("connectTimeout", "10");
    props.setProperty("tcpKeepAlive", "true");
    try {
      return DriverManager.getConnection(config.jdbcUrl() + config.database(), props);
    } catch (SQLException e) {
      throw ProcedureFailure.fromConnect(config, e);
    }
  }

  /**
   * The environment for libpq tools (pg_dump, pg_restore): the connection travels in variables,
   * never on the command line where {@code ps} would show it, and nothing of the worker's own
   * environment leaks in.
   */
  public Map<String, String> libpqEnvironment(String purpose) {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", config.host());
    env.put("PGPORT", String.valueOf(config.port()));
    env.put("PGUSER", config.user());
    env.put("PGDATABASE", config.database());
    env.put("PGPASSWORD", config.password().reveal());
    env.put("PGSSLMODE", config.sslMode());
    env.put("PGAPPNAME", "pgfleet-" + purpose);
    env.put("PGCONNECT_TIMEOUT", "10");
    return env;
  }

  /** Scrubs this target's password from text that is about to leave the worker. */
  public String redact(String text) {
    return Redaction.redact(text, config.password().reveal());
  }
}
