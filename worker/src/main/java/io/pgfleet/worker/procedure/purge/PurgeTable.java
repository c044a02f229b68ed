package io.pgfleet.worker.procedure.purge;

import static io.pgfleet.worker.sql.TableRef.quote;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.sql.TableRef;
import io.pgfleet.worker.target.Catalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A purge policy checked against the target's catalog: the table and every column exist, the time
 * column holds time, the key column has a unique index to batch on, an archive table has every
 * column. Only names that passed these checks reach SQL, always quoted.
 *
 * @param key the quoted key column
 * @param columns the table's columns, in order
 */
record PurgeTable(
    PurgePolicy policy, TableRef table, String key, String keyName, List<Column> columns) {

  private static final Set<String> TIME_TYPES =
      Set.of("timestamp with time zone", "timestamp without time zone", "date");

  /** A column of the purged table: its name and its type as PostgreSQL prints it. */
  record Column(String name, String type) {}

  /** Checks the policy against the catalog of the database {@code c} is connected to. */
  static PurgeTable resolve(Connection c, PurgePolicy policy)
      throws ProcedureFailure, SQLException {
    TableRef table = policy.table();
    Catalog.requireTable(c, table);
    List<Column> columns = columns(c, table);
    requireTimeColumn(table, columns, policy.timeColumn());
    if (policy.statusColumn() != null) {
      Catalog.requireColumn(c, table, policy.statusColumn());
    }
    if (policy.archive().kind() == PurgePolicy.Archive.Kind.TABLE) {
      requireArchiveTable(c, policy.archive().table(), table, columns);
    }
    if (policy.batchBy() == PurgePolicy.BatchBy.CTID) {
      requireTidRangeScan(c, policy);
      return new PurgeTable(policy, table, null, null, columns);
    }
    String key = KeyColumn.resolve(c, policy);
    return new PurgeTable(policy, table, quote(key), key, columns);
  }

  /**
   * Slices by page need a TID range scan, else each slice would read the whole table, and a table
   * whose rows are all on its own pages: a partitioned table has none, an inheritance parent only
   * its own rows.
   */
  private static void requireTidRangeScan(Connection c, PurgePolicy policy)
      throws SQLException, ProcedureFailure {
    int version = c.getMetaData().getDatabaseMajorVersion();
    if (version < 14) {
      throw new ProcedureFailure(
          ErrorCode.UNKNOWN_OBJECT,
          "purge policy "
              + policy.name()
              + " has batchBy: ctid, which needs PostgreSQL 14 or later (TID range scans);"
              + " this server is "
              + version
              + ": use batchBy: key");
    }
    String parent = parentKind(c, policy.table());
    if (parent != null) {
      throw new ProcedureFailure(
          ErrorCode.UNKNOWN_OBJECT,
          "purge policy "
              + policy.name()
              + " has batchBy: ctid, but table "
              + policy.table()
              + " is "
              + parent
              + ": slices of its pages would miss the rows of its "
              + (parent.startsWith("partitioned") ? "partitions" : "child tables")
              + "; use batchBy: key");
    }
  }

  /**
   * What makes the table's own pages not all its rows: "partitioned" (it has no pages of its own)
   * or "a parent in an inheritance hierarchy"; null for a plain table.
   */
  private static String parentKind(Connection c, TableRef table) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT relkind = 'p', EXISTS (SELECT 1 FROM pg_inherits WHERE inhparent = oid)"
                + " FROM pg_class WHERE oid = ?::regclass")) {
      ps.setString(1, table.sql());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          return "partitioned";
        }
        return rs.getBoolean(2) ? "a parent in an inheritance hierarchy" : null;
      }
    }
  }

  /** The rows the policy expires: {@code time < cutoff [AND status IN (...)]}, to bind. */
  String expired() {
    String time = quote(policy.timeColumn()) + " < ?";
    if (policy.statusColumn() == null) {
      return time;
    }
    // One value compares as a plain equality, cheaper per row than searching an array.
    String status = quote(policy.statusColumn()) + "::text";
    return time
        + " AND "
        + status
        + (policy.statusValues().size() == 1 ? " = ?::text" : " = ANY(?)");
  }

  /** Binds {@link #expired()}'s parameters from {@code index}; returns the next index. */
  int bindExpired(PreparedStatement ps, int index, OffsetDateTime cutoff) throws SQLException {
    ps.setObject(index++, cutoff);
    if (policy.statusColumn() != null && policy.statusValues().size() == 1) {
      ps.setString(index++, policy.statusValues().get(0));
    } else if (policy.statusColumn() != null) {
      ps.setArray(
          index++, ps.getConnection().createArrayOf("text", policy.statusValues().toArray()));
    }
    return index;
  }

  /** Every column, quoted, comma-separated, optionally qualified with an alias. */
  String columnList(String alias) {
    List<String> out = new ArrayList<>();
    for (Column column : columns) {
      out.add((alias == null ? "" : alias + ".") + quote(column.name()));
    }
    return String.join(", ", out);
  }

  private static List<Column> columns(Connection c, TableRef table) throws SQLException {
    List<Column> columns = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                + " WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum")) {
      ps.setString(1, table.sql());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.add(new Column(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return columns;
  }

  private static void requireTimeColumn(TableRef table, List<Column> columns, String name)
      throws ProcedureFailure {
    Column column =
        columns.stream()
            .filter(col -> col.name().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new ProcedureFailure(
                        ErrorCode.UNKNOWN_OBJECT, "table " + table + " has no column " + name));
    if (!TIME_TYPES.contains(column.type())) {
      throw new ProcedureFailure(
          ErrorCode.UNKNOWN_OBJECT,
          "column "
              + name
              + " of "
              + table
              + " is "
              + column.type()
              + "; a purge's timeColumn must be a timestamptz, timestamp or date column");
    }
  }

  private static void requireArchiveTable(
      Connection c, TableRef archive, TableRef table, List<Column> columns)
      throws SQLException, ProcedureFailure {
    Catalog.requireTable(c, archive);
    Set<String> archived = Set.copyOf(columns(c, archive).stream().map(Column::name).toList());
    List<String> missing =
        columns.stream().map(Column::name).filter(name -> !archived.contains(name)).toList();
    if (!missing.isEmpty()) {
      throw new ProcedureFailure(
          ErrorCode.UNKNOWN_OBJECT,
          "archive table "
              + archive
              + " lacks column(s) "
              + String.join(", ", missing)
              + " of "
              + table
              + "; it needs every column of the purged table");
    }
  }
}
