package io.pgfleet.worker.procedure.maintenance;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reading nullable numbers from rows, whatever numeric type the server chose. */
public final class Rows {
  private Rows() {}

  /** The column as a double, or null for SQL NULL ({@code extract()} is numeric since PG 14). */
  public static Double nullableDouble(ResultSet rs, int column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? null : value;
  }
}
