package io.pgfleet.worker.procedure.purge;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One batch: the keys after {@code after} (exclusive; null for the start of the table) up to {@code
 * last} (inclusive). Key values travel as the JDBC driver reads them, so any key type with an order
 * works (bigint, text, uuid, timestamps).
 *
 * @param end no expired row was left after {@code last} when the range was found
 */
record KeyRange(Object after, Object last, boolean end) {

  /** {@code key <= ?} or {@code key > ? AND key <= ?}, for {@link #bind}. */
  String condition(String key) {
    return after == null ? key + " <= ?" : key + " > ? AND " + key + " <= ?";
  }

  /** Binds {@link #condition}'s parameters from {@code index}; returns the next index. */
  int bind(PreparedStatement ps, int index) throws SQLException {
    if (after != null) {
      ps.setObject(index++, after);
    }
    ps.setObject(index++, last);
    return index;
  }
}
