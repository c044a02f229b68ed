package io.pgfleet.worker.procedure.integrity;

import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.maintenance.Extensions;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The user tables of the target database in the order check-integrity walks them. */
final class IntegrityTables {
  private static final String AFTER =
      """
      SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't'
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        AND (n.nspname::text COLLATE "C", c.relname::text COLLATE "C") > (? COLLATE "C", ? COLLATE "C")
      ORDER BY n.nspname::text COLLATE "C", c.relname::text COLLATE "C"
      """;

  private IntegrityTables() {}

  /** A table by its catalog names; any characters, since they come from the catalog. */
  record Position(String schema, String table) {
    String name() {
      return schema + "." + table;
    }

    /** As a pg_amcheck pattern: double-quoted parts match literally. */
    String pattern() {
      return quote(schema) + "." + quote(table);
    }

    Map<String, Object> asMap() {
      return Map.of("schema", schema, "table", table);
    }

    static Optional<Position> fromMap(Object value) {
      if (value instanceof Map<?, ?> m
          && m.get("schema") instanceof String s
          && m.get("table") instanceof String t) {
        return Optional.of(new Position(s, t));
      }
      return Optional.empty();
    }

    private static String quote(String part) {
      return "\"" + part.replace("\"", "\"\"") + "\"";
    }
  }

  static List<Position> after(MaintenanceSession session, Optional<Position> after)
      throws ProcedureFailure {
    List<Position> out = new ArrayList<>();
    try (PreparedStatement ps = session.connection().prepareStatement(AFTER)) {
      ps.setString(1, after.map(Position::schema).orElse(""));
      ps.setString(2, after.map(Position::table).orElse(""));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Position(rs.getString(1), rs.getString(2)));
        }
      }
    } catch (SQLException e) {
      throw session.failure("listing the tables to check", e);
    }
    return out;
  }

  /** pg_amcheck calls the amcheck extension's functions in the target database. */
  static void requireAmcheck(MaintenanceSession session) throws ProcedureFailure {
    Extensions.require(
        session,
        "amcheck",
        "as a superuser run CREATE EXTENSION amcheck there (it ships with PostgreSQL) and grant"
            + " EXECUTE on its functions (bt_index_check, verify_heapam) to the target's user");
  }
}
