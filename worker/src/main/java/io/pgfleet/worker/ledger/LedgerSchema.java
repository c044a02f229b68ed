package io.pgfleet.worker.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The ledger's tables, created and upgraded by Flyway from {@code db/ledger}. A worker that starts
 * against a ledger already at the newest migration (every start but a fleet's first, or the first
 * after an upgrade) skips Flyway: one query instead of configuring Flyway and scanning the jar for
 * migrations, most of a second of a cold JVM's start-up (bench/RESULTS.md, scale). The skip trusts
 * the history: an applied migration edited afterwards is not noticed by that start.
 */
final class LedgerSchema {
  /** The newest migration in {@code db/ledger}, as Flyway writes its version. */
  static final String NEWEST =
      MigrationFiles.newest(MigrationFiles.in(LedgerSchema.class.getClassLoader(), "db/ledger"));

  private static final String HISTORY =
      """
      SELECT coalesce(bool_and(success) AND bool_or(version = ?), false)
      FROM pgfleet.flyway_schema_history
      """;

  private LedgerSchema() {}

  /** Creates or upgrades the schema, unless its history shows the newest migration applied. */
  static void migrate(DataSource dataSource) {
    if (!upToDate(dataSource)) {
      Flyway.configure()
          .dataSource(dataSource)
          .schemas(Ledger.SCHEMA)
          .locations("classpath:db/ledger")
          // a dispatcher may have created the schema first, with only its own tables in it
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate();
    }
  }

  /**
   * Whether every migration in the history succeeded and the newest one is among them. False when
   * there is no history yet, or it cannot be read: Flyway then does the work and reports errors.
   */
  static boolean upToDate(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement exists =
              c.prepareStatement(
                  "SELECT to_regclass('pgfleet.flyway_schema_history') IS NOT NULL");
          ResultSet rs = exists.executeQuery()) {
        if (!rs.next() || !rs.getBoolean(1)) {
          return false;
        }
      }
      try (PreparedStatement history = c.prepareStatement(HISTORY)) {
        history.setString(1, NEWEST);
        try (ResultSet rs = history.executeQuery()) {
          return rs.next() && rs.getBoolean(1);
        }
      }
    } catch (SQLException e) {
      return false;
    }
  }
}
