package io.pgfleet.worker.procedure.purge;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One batch: the keys from {@code from} (exclusive, or inclusive for the first batch) up to {@code
 * last} (inclusive). Key values travel as the JDBC driver reads them, so any key type with an order
 * works (bigint, text, uuid, timestamps).
 *
 * @param end the last batch: no expired row was beyond {@code last} when the purge started
 */
record KeyRange(Object from, boolean inclusive, Object last, boolean end) {

  /** {@code key >= ? AND key <= ?} or {@code key > ? AND key <= ?}, for {@link #bind}. */
  String condition(String key) {
    return key + (inclusive ? " >= ?" : " > ?") + " AND " + key + " <= ?";
  }

  /** Binds {@link #condition}'s parameters from {@code index}; returns the next index. */
  int bind(PreparedStatement ps, int index) throws SQLException {
    ps.setObject(index++, from);
    ps.setObject(index++, last);
    return index;
  }
}
