package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.maintenance.QueryText;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Connections, long queries, idle transactions and prepared transactions of the database. */
final class SessionChecks {
  private SessionChecks() {}

  /** A client session of the target database, as pg_stat_activity shows it to this role. */
  record Session(
      int pid,
      String user,
      String application,
      String state,
      double querySeconds,
      double stateSeconds,
      String waitEvent,
      String query) {

    Map<String, Object> item(double seconds) {
      return Items.of(
          "pid", pid,
          "user", user,
          "application", application,
          "state", state,
          "seconds", Probe.compact(seconds),
          "waitEvent", waitEvent,
          "query", QueryText.preview(query));
    }
  }

  private static final String SESSIONS =
      """
      SELECT pid, usename, application_name, state,
             coalesce(extract(epoch FROM now() - query_start), 0),
             coalesce(extract(epoch FROM now() - state_change), 0),
             wait_event_type || ':' || wait_event, query
      FROM pg_stat_activity
      WHERE datname = current_database() AND backend_type = 'client backend'
        AND pid <> pg_backend_pid() AND state IS NOT NULL
      """;

  static List<Session> sessions(Probe probe) throws SQLException {
    List<Session> out = new ArrayList<>();
    try (Statement st = probe.connection().createStatement();
        ResultSet rs = st.executeQuery(SESSIONS)) {
      while (rs.next()) {
        out.add(
            new Session(
                rs.getInt(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getDouble(5),
                rs.getDouble(6),
                rs.getString(7),
                rs.getString(8)));
      }
    }
    return out;
  }

  static Finding connections(Probe probe) throws SQLException {
    long used;
    long max;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FILTER (WHERE "
                    + ConnectionsByClient.CLIENT_SESSION
                    + "), current_setting('max_connections')::int FROM pg_stat_activity")) {
      rs.next();
      used = rs.getLong(1);
      max = rs.getLong(2);
    }
    List<Map<String, Object>> items = new ArrayList<>();
    try (Statement st = probe.connection().createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(datname, '(none)'), count(*) FROM pg_stat_activity WHERE "
                    + ConnectionsByClient.CLIENT_SESSION
                    + " GROUP BY 1 ORDER BY 2 DESC LIMIT 10")) {
      while (rs.next()) {
        items.add(Items.of("database", rs.getString(1), "connections", rs.getLong(2)));
      }
    }
    List<Map<String, Object>> byClient = ConnectionsByClient.items(probe);
    items.addAll(byClient);
    double percent = 100.0 * used / max;
    String message =
        String.format(
                java.util.Locale.ROOT,
                "%d of max_connections %d in use on the server (%.1f%%)",
                used,
                max,
                percent)
            + ConnectionsByClient.largest(byClient);
    if (probe.notable(HealthLimit.CONNECTIONS, percent)) {
      message +=
          ": find idle pools (items list connections per database, then per user and application"
              + " of this one) or raise max_connections";
    }
    return probe.measured(HealthLimit.CONNECTIONS, percent, message, items);
  }

  static Finding longRunningQueries(Probe probe) throws SQLException {
    List<Session> active =
        sessions(probe).stream()
            .filter(s -> "active".equals(s.state()))
            .sorted(Comparator.comparingDouble(Session::querySeconds).reversed())
            .toList();
    return overThreshold(
        probe,
        HealthLimit.LONG_RUNNING_QUERIES,
        active,
        Session::querySeconds,
        new String[] {"query running", "queries running"},
        "cancel them with terminate-backends (action cancel, activeLongerThanSeconds)");
  }

  static Finding idleInTransaction(Probe probe) throws SQLException {
    List<Session> idle =
        sessions(probe).stream()
            .filter(s -> s.state() != null && s.state().startsWith("idle in transaction"))
            .sorted(Comparator.comparingDouble(Session::stateSeconds).reversed())
            .toList();
    return overThreshold(
        probe,
        HealthLimit.IDLE_IN_TRANSACTION,
        idle,
        Session::stateSeconds,
        new String[] {"session idle in a transaction", "sessions idle in a transaction"},
        "they hold locks and keep vacuum from removing dead rows: fix the application, or end"
            + " them with terminate-backends (idleInTransactionLongerThanSeconds)");
  }

  private static Finding overThreshold(
      Probe probe,
      HealthLimit limit,
      List<Session> sessions,
      java.util.function.ToDoubleFunction<Session> seconds,
      String[] what,
      String advice)
      throws SQLException {
    double longest = sessions.isEmpty() ? 0 : seconds.applyAsDouble(sessions.get(0));
    List<Map<String, Object>> items =
        sessions.stream()
            .filter(s -> probe.notable(limit, seconds.applyAsDouble(s)))
            .map(s -> s.item(seconds.applyAsDouble(s)))
            .toList();
    String message;
    if (items.isEmpty()) {
      message =
          Items.count(sessions.size(), what[0], what[1])
              + (sessions.isEmpty()
                  ? " in this database"
                  : ", the longest for " + Items.seconds(longest));
    } else {
      Session worst = sessions.get(0);
      message =
          Items.count(items.size(), what[0], what[1])
              + " past the threshold; the longest for "
              + Items.seconds(longest)
              + " (pid "
              + worst.pid()
              + ", user "
              + worst.user()
              + "): "
              + advice;
    }
    return probe.measured(limit, longest, message + probe.visibilityNote(), items);
  }

  static Finding preparedTransactions(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    double oldest = 0;
    try (PreparedStatement ps =
            probe
                .connection()
                .prepareStatement(
                    "SELECT gid, owner, extract(epoch FROM now() - prepared) FROM pg_prepared_xacts"
                        + " WHERE database = current_database() ORDER BY prepared");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        oldest = Math.max(oldest, rs.getDouble(3));
        items.add(
            Items.of(
                "gid", rs.getString(1),
                "owner", rs.getString(2),
                "seconds", Probe.compact(rs.getDouble(3))));
      }
    }
    String message =
        items.isEmpty()
            ? "no prepared transactions"
            : Items.count(items.size(), "prepared transaction", "prepared transactions")
                + ", the oldest "
                + Items.seconds(oldest)
                + " old: an abandoned one holds locks and blocks vacuum until COMMIT PREPARED"
                + " or ROLLBACK PREPARED";
    return probe.measured(HealthLimit.PREPARED_TRANSACTIONS, oldest, message, items);
  }
}
