package io.pgfleet.worker.procedure.reindex;

import io.pgfleet.commands.ReindexParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.health.EstimatedIndex;
import io.pgfleet.worker.procedure.maintenance.Tables;
import io.pgfleet.worker.sql.TableRef;
import io.pgfleet.worker.target.Catalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a reindex covers, resolved against the target's catalog: one index (and the leftovers of its
 * failed concurrent rebuilds), a table's indexes (its TOAST index included), or the database.
 */
record ReindexScope(Kind kind, String sqlName, String description, long tableOid, String index) {

  enum Kind {
    INDEX,
    TABLE,
    DATABASE
  }

  private static final String INDEXES =
      """
      SELECT n.nspname, c.relname, i.indisvalid, pg_relation_size(c.oid), i.indrelid
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      """;

  static ReindexScope resolve(Connection c, ReindexParams params)
      throws ProcedureFailure, SQLException {
    if (params.database()) {
      String db = c.getCatalog();
      return new ReindexScope(Kind.DATABASE, TableRef.quote(db), "database " + db, 0, null);
    }
    if (params.table() != null) {
      TableRef table = Tables.parse(params.table());
      Catalog.requireTable(c, table);
      return new ReindexScope(
          Kind.TABLE, table.sql(), "table " + table, oid(c, table, "'r', 'm', 'p'"), null);
    }
    TableRef index = Tables.parse(params.index());
    long indexOid = oid(c, index, "'i', 'I'");
    if (indexOid == 0) {
      String hint =
          oid(c, index, "'r', 'm', 'p'") != 0 ? ": it is a table, send table instead" : "";
      throw new ProcedureFailure(
          ErrorCode.UNKNOWN_OBJECT,
          "index " + index + " does not exist in " + c.getCatalog() + hint);
    }
    return new ReindexScope(
        Kind.INDEX, index.sql(), "index " + index, tableOf(c, indexOid), index.table());
  }

  /** One index the bloat estimate flagged, named as the catalog returned it (already quoted). */
  static ReindexScope of(EstimatedIndex index) {
    return new ReindexScope(
        Kind.INDEX, index.quoted(), "index " + index.name(), index.tableOid(), index.index());
  }

  /** Every index in scope, as the catalog has it now. */
  List<ScopedIndex> indexes(Connection c) throws SQLException {
    String where =
        switch (kind) {
          case DATABASE -> " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')";
          case TABLE ->
              " WHERE i.indrelid = ? OR i.indrelid ="
                  + " (SELECT reltoastrelid FROM pg_class WHERE oid = ?)";
          case INDEX -> " WHERE i.indrelid = ?";
        };
    List<ScopedIndex> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(INDEXES + where + " ORDER BY 1, 2")) {
      if (kind != Kind.DATABASE) {
        ps.setLong(1, tableOid);
      }
      if (kind == Kind.TABLE) {
        ps.setLong(2, tableOid);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ScopedIndex i =
              new ScopedIndex(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4));
          if (kind != Kind.INDEX || covers(i)) {
            out.add(i);
          }
        }
      }
    }
    return out;
  }

  /** For an index scope: the index itself, and the leftovers of its own concurrent rebuilds. */
  private boolean covers(ScopedIndex i) {
    return i.name().equals(index)
        || i.name().matches(Pattern.quote(index) + "_cc(new|old)\\d*") && !i.valid();
  }

  String reindexSql(boolean concurrently) {
    return "REINDEX (VERBOSE) " + kind.name() + (concurrently ? " CONCURRENTLY " : " ") + sqlName;
  }

  private static long oid(Connection c, TableRef name, String relkinds) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ("
                + relkinds
                + ")")) {
      ps.setString(1, name.schema());
      ps.setString(2, name.table());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static long tableOf(Connection c, long indexOid) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT indrelid FROM pg_index WHERE indexrelid = " + indexOid)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
