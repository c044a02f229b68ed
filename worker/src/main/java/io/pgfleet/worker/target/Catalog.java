package io.pgfleet.worker.target;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.sql.TableRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Checks names against the target's catalog before any statement uses them. */
public final class Catalog {
  private Catalog() {}

  /** Fails with {@code UNKNOWN_OBJECT} when the table does not exist (or is not visible). */
  public static void requireTable(Connection c, TableRef table)
      throws ProcedureFailure, SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = ? AND t.relname = ? AND t.relkind IN ('r', 'p', 'm')")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.table());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ProcedureFailure(
              ErrorCode.UNKNOWN_OBJECT, "table " + table + " does not exist in " + c.getCatalog());
        }
      }
    }
  }

  /** Fails with {@code UNKNOWN_OBJECT} when the table has no such column. */
  public static void requireColumn(Connection c, TableRef table, String column)
      throws ProcedureFailure, SQLException {
    TableRef.requireIdentifier(column, "column");
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT 1 FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE n.nspname = ? AND t.relname = ? AND a.attname = ?"
                + " AND a.attnum > 0 AND NOT a.attisdropped")) {
      ps.setString(1, table.schema());
      ps.setString(2, table.table());
      ps.setString(3, column);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ProcedureFailure(
              ErrorCode.UNKNOWN_OBJECT, "table " + table + " has no column " + column);
        }
      }
    }
  }
}
