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
    UniqueKey.require(c, policy, key);
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
}
