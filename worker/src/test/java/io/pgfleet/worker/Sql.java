package io.pgfleet.worker;

import io.pgfleet.local.LocalPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads a sample database as its superuser, to check what an operation did from outside. */
final class Sql {
  private final LocalPostgres postgres;
  private final String database;

  Sql(LocalPostgres postgres, String database) {
    this.postgres = postgres;
    this.database = database;
  }

  long count(String sql) {
    return Long.parseLong(strings(sql).get(0));
  }

  /** The first column of every row, as text. */
  List<String> strings(String sql) {
    try (Connection c = postgres.connect(database);
        Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
      List<String> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("failed in " + database + ": " + sql, e);
    }
  }

  void execute(String sql) {
    postgres.execute(database, sql);
  }

  Connection connect() throws SQLException {
    return postgres.connect(database);
  }
}
