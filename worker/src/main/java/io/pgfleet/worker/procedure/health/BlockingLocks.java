package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.maintenance.QueryText;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who blocks whom: every session of the database that waits for a lock, how long it has waited
 * ({@code pg_locks.waitstart}), and the sessions that hold it up ({@code pg_blocking_pids}); the
 * root blockers (blocking, not waiting themselves) are the ones to look at first.
 */
final class BlockingLocks {
  private BlockingLocks() {}

  private static final String WAITING =
      """
      SELECT a.pid, a.usename, a.application_name,
             coalesce(extract(epoch FROM now() -
               (SELECT min(l.waitstart) FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted)), 0),
             pg_blocking_pids(a.pid), a.query
      FROM pg_stat_activity a
      WHERE a.datname = current_database() AND a.wait_event_type = 'Lock'
        AND cardinality(pg_blocking_pids(a.pid)) > 0
      ORDER BY 4 DESC
      """;

  private static final String BLOCKERS =
      """
      SELECT pid, usename, application_name, state,
             coalesce(extract(epoch FROM now() - xact_start), 0), query
      FROM pg_stat_activity WHERE pid = ANY (?)
      """;

  static Finding check(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    Set<Integer> waiting = new LinkedHashSet<>();
    Set<Integer> blocking = new LinkedHashSet<>();
    double longest = 0;
    try (Statement st = probe.connection().createStatement();
        ResultSet rs = st.executeQuery(WAITING)) {
      while (rs.next()) {
        List<Integer> by = pids(rs.getArray(5));
        waiting.add(rs.getInt(1));
        blocking.addAll(by);
        longest = Math.max(longest, rs.getDouble(4));
        Map<String, Object> item =
            Items.of(
                "pid", rs.getInt(1),
                "user", rs.getString(2),
                "application", rs.getString(3),
                "waitingSeconds", Probe.compact(rs.getDouble(4)),
                "query", QueryText.preview(rs.getString(6)),
                "blockedBy", by);
        items.add(item);
      }
    }
    if (items.isEmpty()) {
      return probe.finding(
          HealthLimit.BLOCKING_LOCKS,
          Finding.Status.OK,
          0.0,
          "no session waits for a lock" + probe.visibilityNote(),
          List.of());
    }
    Map<Integer, Map<String, Object>> blockers = describe(probe, blocking);
    for (Map<String, Object> item : items) {
      @SuppressWarnings("unchecked")
      List<Integer> by = (List<Integer>) item.get("blockedBy");
      item.put(
          "blockers",
          by.stream().map(pid -> blockers.getOrDefault(pid, Items.of("pid", pid))).toList());
    }
    List<Integer> roots = blocking.stream().filter(pid -> !waiting.contains(pid)).toList();
    String message =
        Items.count(items.size(), "session waits", "sessions wait")
            + " for a lock, the longest for "
            + Items.seconds(longest)
            + "; root blocker(s): "
            + roots.stream().map(pid -> describeRoot(blockers.get(pid), pid)).toList()
            + (probe.notable(HealthLimit.BLOCKING_LOCKS, longest)
                ? ": end the root blocker's transaction (terminate-backends) if it is stuck"
                : "")
            + probe.visibilityNote();
    return probe.measured(HealthLimit.BLOCKING_LOCKS, longest, message, items);
  }

  private static Map<Integer, Map<String, Object>> describe(Probe probe, Set<Integer> pids)
      throws SQLException {
    Map<Integer, Map<String, Object>> out = new LinkedHashMap<>();
    try (PreparedStatement ps = probe.connection().prepareStatement(BLOCKERS)) {
      ps.setArray(1, probe.connection().createArrayOf("int4", pids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(
              rs.getInt(1),
              Items.of(
                  "pid", rs.getInt(1),
                  "user", rs.getString(2),
                  "application", rs.getString(3),
                  "state", rs.getString(4),
                  "transactionSeconds", Probe.compact(rs.getDouble(5)),
                  "query", QueryText.preview(rs.getString(6))));
        }
      }
    }
    return out;
  }

  private static String describeRoot(Map<String, Object> blocker, int pid) {
    if (blocker == null) {
      return "pid " + pid;
    }
    return "pid "
        + pid
        + " ("
        + blocker.get("user")
        + ", "
        + blocker.getOrDefault("state", "state not visible")
        + ")";
  }

  private static List<Integer> pids(Array array) throws SQLException {
    Integer[] values = (Integer[]) array.getArray();
    return Arrays.asList(values);
  }
}
