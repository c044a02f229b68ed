package io.pgfleet.worker.procedure.statements;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The runbook's {@code DELETE FROM pg_stat_statements WHERE calls < 10}, which the view refuses:
 * the statements of the target database called fewer times than the limit, reset one by one with
 * {@code pg_stat_statements_reset(userid, dbid, queryid)} (PostgreSQL 12 and later).
 */
final class RarelyCalledStatements {
  static final int FIRST_VERSION = 120000;

  // Grouped: since PostgreSQL 14 a statement has a top-level and a nested entry, and the reset
  // clears both, so it is rarely called only when each entry is. A queryid of 0 would reset every
  // statement of the user: never passed. Null queryids are other roles' statements this role
  // cannot see (no pg_read_all_stats): not resettable by it, counted apart.
  private static final String RARE =
      """
      SELECT s.userid, s.dbid, s.queryid
      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
      WHERE d.datname = current_database() AND s.queryid IS NOT NULL AND s.queryid <> 0
      GROUP BY s.userid, s.dbid, s.queryid HAVING max(s.calls) < ?
      """;
  private static final String HIDDEN =
      "SELECT count(*) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
          + " WHERE d.datname = current_database() AND s.queryid IS NULL";
  private static final String RESET_ONE = "SELECT pg_stat_statements_reset(?::oid, ?::oid, ?)";

  private record Key(long userid, long dbid, long queryid) {}

  private final MaintenanceSession session;
  private final List<Key> found = new ArrayList<>();

  private RarelyCalledStatements(MaintenanceSession session) {
    this.session = session;
  }

  /** The statements called fewer than {@code callsBelow} times, as the view shows them now. */
  static RarelyCalledStatements find(MaintenanceSession session, int callsBelow)
      throws ProcedureFailure {
    requireVersion(session);
    RarelyCalledStatements rare = new RarelyCalledStatements(session);
    try (PreparedStatement ps = session.connection().prepareStatement(RARE)) {
      ps.setLong(1, callsBelow);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rare.found.add(new Key(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        }
      }
    } catch (SQLException e) {
      throw session.failure("listing the rarely called statements", e);
    }
    return rare;
  }

  int count() {
    return found.size();
  }

  /** Statements of other roles whose queryid this role cannot see, so cannot reset. */
  long hidden() throws ProcedureFailure {
    try (Statement st = session.connection().createStatement();
        ResultSet rs = st.executeQuery(HIDDEN)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw session.failure("counting the statements this role cannot see", e);
    }
  }

  /** Resets each statement found; returns how many were reset. */
  int reset(RunContext ctx) throws ProcedureFailure, InterruptedException {
    int reset = 0;
    try (PreparedStatement ps = session.connection().prepareStatement(RESET_ONE)) {
      for (Key k : found) {
        ctx.cancellation().check();
        ps.setLong(1, k.userid());
        ps.setLong(2, k.dbid());
        ps.setLong(3, k.queryid());
        ps.execute();
        reset++;
      }
    } catch (SQLException e) {
      throw session.failure(
          "resetting rarely called statements (" + reset + " of " + found.size() + " done)", e);
    }
    return reset;
  }

  private static void requireVersion(MaintenanceSession session) throws ProcedureFailure {
    int version;
    try (Statement st = session.connection().createStatement();
        ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
      rs.next();
      version = rs.getInt(1);
    } catch (SQLException e) {
      throw session.failure("reading the server's version", e);
    }
    if (version < FIRST_VERSION) {
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR,
          "callsBelow resets statements one by one with pg_stat_statements_reset(userid, dbid,"
              + " queryid), which PostgreSQL "
              + version / 10000
              + " lacks (12 or later): leave callsBelow out to reset all of the database's"
              + " statements; nothing was reset");
    }
  }
}
