package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The check that a keyset key column is NOT NULL with a unique btree index of its own. */
final class UniqueKey {
  private UniqueKey() {}

  /** Keyset batches need every row to have exactly one place in the key order. */
  static void require(Connection c, PurgePolicy policy, String key)
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
