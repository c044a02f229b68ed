package io.pgfleet.worker.procedure.terminate;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pids a command names: each must be a client session of the target database (other than this run's
 * own), or nothing is signalled. A typo must never end another database's session.
 */
final class RequestedPids {
  private static final String WHAT_THEY_ARE =
      """
      SELECT pid, pid = pg_backend_pid(), backend_type, datname = current_database()
      FROM pg_stat_activity WHERE pid = ANY (?)
      """;

  private RequestedPids() {}

  static void requireSessionsOfTheDatabase(
      MaintenanceSession session, List<Integer> pids, List<Backend> listed)
      throws ProcedureFailure {
    Set<Integer> sessions = listed.stream().map(Backend::pid).collect(Collectors.toSet());
    List<Integer> others = pids.stream().filter(p -> !sessions.contains(p)).toList();
    if (others.isEmpty()) {
      return;
    }
    Map<Integer, String> why;
    try {
      why = whatTheyAre(session.connection(), others);
    } catch (SQLException e) {
      throw session.failure("looking up the pids the command names", e);
    }
    List<String> reasons = new ArrayList<>();
    why.forEach((pid, reason) -> reasons.add("pid " + pid + " is " + reason));
    throw new ProcedureFailure(
        ErrorCode.UNKNOWN_OBJECT,
        "nothing was signalled: "
            + String.join("; ", reasons)
            + ". Only client sessions of the database of '"
            + session.targetName()
            + "' can be named by pid (see pg_stat_activity)");
  }

  /** Why each pid is not a session the command may hit, in the order given. */
  static Map<Integer, String> whatTheyAre(Connection c, List<Integer> pids) throws SQLException {
    Map<Integer, String> why = new LinkedHashMap<>();
    for (Integer pid : pids) {
      why.put(pid, "not a process of the server (it may have ended)");
    }
    try (PreparedStatement ps = c.prepareStatement(WHAT_THEY_ARE)) {
      Array array = c.createArrayOf("int4", pids.toArray());
      ps.setArray(1, array);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          why.put(rs.getInt(1), reason(rs.getBoolean(2), rs.getString(3), rs.getBoolean(4)));
        }
      }
    }
    return why;
  }

  private static String reason(boolean own, String backendType, boolean sameDatabase) {
    if (own) {
      return "this run's own session";
    }
    if (backendType == null) {
      return "another role's process, whose type the target's user cannot see (grant it"
          + " pg_read_all_stats)";
    }
    if (!"client backend".equals(backendType)) {
      return "a server process (" + backendType + "), not a client session";
    }
    return sameDatabase
        ? "a session of this database that is not listed (it may have just ended)"
        : "a session of another database";
  }
}
