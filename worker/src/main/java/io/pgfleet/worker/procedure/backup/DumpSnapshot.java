package io.pgfleet.worker.procedure.backup;

import io.pgfleet.worker.procedure.RowCounts;
import io.pgfleet.worker.storage.Manifest.Server;
import io.pgfleet.worker.storage.Manifest.TableCount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A repeatable-read transaction whose snapshot pg_dump imports ({@code --snapshot}), so the row
 * counts taken here describe exactly the data in the dump. It must stay open until pg_dump has
 * finished.
 */
final class DumpSnapshot implements AutoCloseable {
  private static final Duration CANCEL_FOR = Duration.ofSeconds(10);

  private final Connection connection;
  private final String snapshotId;

  /** The count running on another thread ({@link BackgroundRowCount}), cancelled by close. */
  private volatile Statement counting;

  private volatile boolean closed;

  private DumpSnapshot(Connection connection, String snapshotId) {
    this.connection = connection;
    this.snapshotId = snapshotId;
  }

  static DumpSnapshot export(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      try (ResultSet rs = st.executeQuery("SELECT pg_export_snapshot()")) {
        rs.next();
        return new DumpSnapshot(connection, rs.getString(1));
      }
    }
  }

  /** Fails with {@code UNKNOWN_OBJECT} naming the first table that does not exist. */
  void requireTables(List<io.pgfleet.worker.sql.TableRef> tables)
      throws io.pgfleet.worker.failure.ProcedureFailure, SQLException {
    for (var t : tables) {
      io.pgfleet.worker.target.Catalog.requireTable(connection, t);
    }
  }

  String id() {
    return snapshotId;
  }

  Server server() throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT current_setting('server_version'),"
                    + " current_setting('server_version_num')::int")) {
      rs.next();
      return new Server(rs.getString(1).split(" ")[0], rs.getInt(2), systemIdentifier());
    }
  }

  /** Only privileged roles may read pg_control; without it the manifest just lacks the id. */
  private String systemIdentifier() {
    try (Statement st = connection.createStatement()) {
      st.execute("SAVEPOINT sysid");
      try (ResultSet rs = st.executeQuery("SELECT system_identifier FROM pg_control_system()")) {
        rs.next();
        return rs.getString(1);
      }
    } catch (SQLException e) {
      rollbackToSavepoint();
      return null;
    }
  }

  private void rollbackToSavepoint() {
    try (Statement st = connection.createStatement()) {
      st.execute("ROLLBACK TO SAVEPOINT sysid");
    } catch (SQLException ignored) {
      // the transaction is broken anyway; the dump's own failure will say so
    }
  }

  long databaseBytes() throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** On-disk size of the user tables' rows (heap and TOAST, without indexes). */
  long tableBytes() throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT coalesce(sum(pg_table_size(c.oid)), 0) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'm', 'p')"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg\\_toast%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Exact row counts of every table, in the snapshot. Reads each table once. */
  List<TableCount> countRows() throws SQLException {
    List<TableCount> counts = new ArrayList<>();
    List<String[]> tables = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(RowCounts.USER_TABLES)) {
      while (rs.next()) {
        tables.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    for (String[] t : tables) {
      try (PreparedStatement ps =
          connection.prepareStatement("SELECT count(*) FROM " + quote(t[0]) + "." + quote(t[1]))) {
        counting = ps; // before the check: close() then either sees this statement or we see it
        if (closed) {
          throw new SQLException("the dump ended before every table was counted");
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          counts.add(new TableCount(t[0], t[1], rs.getLong(1)));
        }
      } finally {
        counting = null;
      }
    }
    return counts;
  }

  /** A double-quoted identifier, as PostgreSQL's quote_ident would write it. */
  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * Ends the snapshot. A count still running (the dump failed first) is cancelled: the rollback
   * would otherwise wait for it, and counting one large table can take as long as dumping it.
   */
  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    // a cancel sent just before the query starts does nothing: send it again until the count ends
    long deadline = System.nanoTime() + CANCEL_FOR.toNanos();
    for (Statement running = counting;
        running != null && System.nanoTime() < deadline;
        running = counting) {
      try {
        running.cancel();
        Thread.sleep(20);
      } catch (SQLException e) {
        break; // the rollback below then waits for the count, as it did before cancelling
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      connection.rollback();
    } finally {
      connection.close();
    }
  }
}
