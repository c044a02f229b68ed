package io.pgfleet.worker;

import io.pgfleet.local.SampleFleet.SampleDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * Real sessions on a fleet's sample database, as the services (its owner role) or a DBA (the
 * superuser) would open them: to make dead rows, hold locks, sleep in a query, and to look at the
 * catalog afterwards.
 */
final class TargetSessions implements AutoCloseable {
  private final Fleet fleet;
  private final SampleDatabase db;
  private final List<Connection> opened = new ArrayList<>();
  private final List<Integer> pids = new ArrayList<>();

  TargetSessions(Fleet fleet, String sample) {
    this.fleet = fleet;
    this.db = fleet.databases.get(sample);
  }

  String owner() {
    return db.owner();
  }

  /** A session of the database's owner role, named as a service would name it. */
  Connection asOwner(String applicationName) throws SQLException {
    return open(db.owner(), db.password(), applicationName);
  }

  Connection asSuperuser(String applicationName) throws SQLException {
    var pg = fleet.stack.postgres();
    return open(pg.superuser(), pg.superuserPassword(), applicationName);
  }

  private Connection open(String user, String password, String applicationName)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("ApplicationName", applicationName);
    Connection c = DriverManager.getConnection(fleet.stack.postgres().jdbcUrl(db.name()), p);
    opened.add(c);
    pids.add(pid(c));
    return c;
  }

  /** Runs SQL as the superuser in the sample database. */
  void execute(String sql) {
    fleet.stack.postgres().execute(db.name(), sql);
  }

  /** The first column of the first row, as the superuser. */
  Object query(String sql) throws SQLException {
    try (Connection c = fleet.stack.postgres().connect(db.name());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getObject(1) : null;
    }
  }

  long number(String sql) throws SQLException {
    return ((Number) query(sql)).longValue();
  }

  static int pid(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Runs {@code sql} on the connection in the background; completes with the error it ended with,
   * or null when it ran to its end.
   */
  static CompletableFuture<SQLException> inBackground(Connection c, String sql) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Statement st = c.createStatement()) {
            st.execute(sql);
            return null;
          } catch (SQLException e) {
            return e;
          }
        });
  }

  /**
   * Closes the sessions this opened, ending their backends first: a backend busy in pg_sleep would
   * not notice its client is gone until the sleep ends.
   */
  @Override
  public void close() {
    if (!pids.isEmpty()) {
      execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN ("
              + String.join(",", pids.stream().map(String::valueOf).toList())
              + ")");
    }
    for (Connection c : opened) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already gone: that may be what the test did to it
      }
    }
  }
}
