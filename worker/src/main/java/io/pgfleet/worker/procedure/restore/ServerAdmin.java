package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.ServerLogin;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.sql.TableRef;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Database-level statements on one server, as a login allowed to make them: create, drop, rename
 * databases and terminate their sessions. Database names are checked identifiers, always quoted.
 */
final class ServerAdmin implements AutoCloseable {
  private final ServerLogin login;
  private final String purpose;
  private final Connection connection;

  private ServerAdmin(ServerLogin login, String purpose, Connection connection) {
    this.login = login;
    this.purpose = purpose;
    this.connection = connection;
  }

  static ServerAdmin connect(ServerLogin login, String purpose) throws ProcedureFailure {
    return new ServerAdmin(login, purpose, open(login, login.maintenanceDatabase(), purpose));
  }

  /** A new connection to {@code database} as this login. */
  Connection connectTo(String database) throws ProcedureFailure {
    return open(login, database, purpose);
  }

  ServerLogin login() {
    return login;
  }

  int serverMajor() throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
      rs.next();
      return rs.getInt(1) / 10000;
    }
  }

  boolean exists(String database) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  void create(String database, String owner) throws SQLException {
    execute(
        "CREATE DATABASE "
            + quote(database)
            + (owner == null ? "" : " OWNER " + TableRef.quote(owner)));
  }

  /** Drops the database if it exists, ending whatever sessions it still has. */
  void drop(String database) throws SQLException {
    execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
  }

  /**
   * Lets nobody new connect to {@code database}, then terminates its sessions; returns how many.
   */
  int closeAndTerminate(String database) throws SQLException {
    execute("ALTER DATABASE " + quote(database) + " WITH ALLOW_CONNECTIONS false");
    try (PreparedStatement ps =
        connection.prepareStatement(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
      ps.setString(1, database);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  void allowConnections(String database) throws SQLException {
    execute("ALTER DATABASE " + quote(database) + " WITH ALLOW_CONNECTIONS true");
  }

  void rename(String from, String to) throws SQLException {
    execute("ALTER DATABASE " + quote(from) + " RENAME TO " + quote(to));
  }

  private void execute(String sql) throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute(sql);
    }
  }

  private static String quote(String database) {
    TableRef.requireIdentifier(database, "database");
    return TableRef.quote(database);
  }

  static Connection open(ServerLogin login, String database, String purpose)
      throws ProcedureFailure {
    Properties props = new Properties();
    props.setProperty("user", login.user());
    props.setProperty("password", login.password().reveal());
    props.setProperty("ApplicationName", "pgfleet-" + purpose);
    props.setProperty("sslmode", login.sslMode() == null ? "prefer" : login.sslMode());
    props.setProperty("connectTimeout", "10");
    try {
      return DriverManager.getConnection(login.jdbcUrl(database), props);
    } catch (SQLException e) {
      throw new ProcedureFailure(
          e.getSQLState() != null && e.getSQLState().startsWith("08")
              ? ErrorCode.TARGET_UNREACHABLE
              : ErrorCode.TARGET_ERROR,
          "cannot connect to " + database + " as " + login.describe() + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
  }
}
