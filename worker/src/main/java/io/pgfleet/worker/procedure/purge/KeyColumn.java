package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.target.Catalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The column keyset batches go by: the policy's {@code keyColumn}, else the table's single-column
 * primary key; either way NOT NULL with a unique btree index of its own.
 */
final class KeyColumn {
  private KeyColumn() {}

  /** The key column's name, checked against the catalog of the database {@code c} is on. */
  static String resolve(Connection c, PurgePolicy policy) throws SQLException, ProcedureFailure {
    String key = policy.keyColumn() != null ? policy.keyColumn() : primaryKey(c, policy);
    Catalog.requireColumn(c, policy.table(), key);
    requireUniqueNotNull(c, policy, key);
    return key;
  }

  private static String primaryKey(Connection c, PurgePolicy policy)
      throws SQLException, ProcedureFailure {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"
                + " WHERE i.indrelid = ?::regclass AND i.indisprimary AND i.indnkeyatts = 1")) {
      ps.setString(1, policy.table().sql());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return rs.getString(1);
        }
      }
    }
    throw new ProcedureFailure(
        ErrorCode.UNKNOWN_OBJECT,
        "table "
            + policy.table()
            + " has no single-column primary key: set keyColumn in purge policy "
            + policy.name()
            + " to a NOT NULL column with a unique index");
  }

  /** Keyset batches need every row to have exactly one place in the key order. */
  private static void requireUniqueNotNull(Connection c, PurgePolicy policy, String key)
      throws SQLException, ProcedureFailure {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attnotnull, EXISTS (SELECT 1 FROM pg_index i JOIN pg_am am"
                + "   ON am.oid = (SELECT relam FROM pg_class WHERE oid = i.indexrelid)"
                + "   WHERE i.indrelid = a.attrelid AND i.indisunique AND i.indisvalid"
                + "   AND i.indnkeyatts = 1 AND i.indkey[0] = a.attnum AND i.indpred IS NULL"
                + "   AND am.amname = 'btree')"
                + " FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attname = ?")) {
      ps.setString(1, policy.table().sql());
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1) || !rs.getBoolean(2)) {
          throw new ProcedureFailure(
              ErrorCode.UNKNOWN_OBJECT,
              "key column "
                  + key
                  + " of "
                  + policy.table()
                  + " must be NOT NULL with a unique btree index of its own for keyset batches;"
                  + " set keyColumn in purge policy "
                  + policy.name()
                  + " to such a column");
        }
      }
    }
  }
}
