package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.sql.TableRef;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The runbooks' "security hardening": login superusers besides the bootstrap one, login roles whose
 * password never expires, and what PUBLIC (every role) may do on this database and its schemas.
 * Each item says which statement would fix it; nothing is changed.
 */
final class SecurityPosture {
  private static final String ROLES =
      """
      SELECT rolname, rolsuper, rolvaliduntil IS NULL OR rolvaliduntil = 'infinity'
      FROM pg_roles WHERE rolcanlogin AND oid <> 10 AND rolname NOT LIKE 'pg\\_%'
        AND (rolsuper OR rolvaliduntil IS NULL OR rolvaliduntil = 'infinity')
      ORDER BY rolname
      """;
  private static final String PUBLIC_DATABASE =
      """
      SELECT d.datname, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
      FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
      WHERE d.datname = current_database() AND a.grantee = 0 GROUP BY d.datname
      """;
  private static final String PUBLIC_SCHEMAS =
      """
      SELECT n.nspname, string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
      FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
      WHERE a.grantee = 0 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_%'
      GROUP BY n.nspname ORDER BY n.nspname
      """;

  private SecurityPosture() {}

  static Finding check(Probe probe) throws SQLException {
    List<Map<String, Object>> items = new ArrayList<>();
    // A finding lists a bounded number of items: roles whose password never expires can be many,
    // so they come after what concerns this database itself.
    List<Map<String, Object>> neverExpiring = new ArrayList<>();
    try (Statement st = probe.connection().createStatement()) {
      try (ResultSet rs = st.executeQuery(ROLES)) {
        while (rs.next()) {
          String role = TableRef.quote(rs.getString(1));
          if (rs.getBoolean(2)) {
            items.add(
                issue("login-superuser", rs.getString(1), "ALTER ROLE " + role + " NOSUPERUSER"));
          }
          if (rs.getBoolean(3)) {
            neverExpiring.add(
                issue(
                    "password-never-expires",
                    rs.getString(1),
                    "ALTER ROLE " + role + " VALID UNTIL '<date>' (and rotate it)"));
          }
        }
      }
      try (ResultSet rs = st.executeQuery(PUBLIC_DATABASE)) {
        while (rs.next()) {
          items.add(
              publicIssue(
                  "public-database-privileges",
                  rs.getString(1),
                  rs.getString(2),
                  "REVOKE ALL ON DATABASE " + TableRef.quote(rs.getString(1)) + " FROM PUBLIC"));
        }
      }
      try (ResultSet rs = st.executeQuery(PUBLIC_SCHEMAS)) {
        while (rs.next()) {
          items.add(
              publicIssue(
                  "public-schema-privileges",
                  rs.getString(1),
                  rs.getString(2),
                  "REVOKE ALL ON SCHEMA " + TableRef.quote(rs.getString(1)) + " FROM PUBLIC"));
        }
      }
    }
    items.addAll(neverExpiring);
    String message =
        items.isEmpty()
            ? "no login superuser besides the bootstrap one, every login role's password expires,"
                + " PUBLIC holds no privilege on the database or its schemas"
            : Items.count(items.size(), "thing", "things")
                + " to review (each item names the statement that would change it; pgfleet"
                + " changes nothing)";
    return probe.measured(HealthLimit.SECURITY, items.size(), message, items);
  }

  private static Map<String, Object> issue(String kind, String role, String suggestion) {
    return Items.of("kind", kind, "role", role, "suggestion", suggestion);
  }

  private static Map<String, Object> publicIssue(
      String kind, String object, String privileges, String suggestion) {
    return Items.of(
        "kind", kind, "object", object, "privileges", privileges, "suggestion", suggestion);
  }
}
