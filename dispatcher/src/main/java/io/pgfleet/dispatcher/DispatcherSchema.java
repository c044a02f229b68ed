package io.pgfleet.dispatcher;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The dispatcher's tables in the control database's {@code pgfleet} schema, and only those: the
 * dispatcher never runs the worker's migrations. They have their own Flyway history table and
 * versions from 100, so the two never collide, whichever side starts first (each baselines a schema
 * the other has already created).
 */
final class DispatcherSchema {
  private DispatcherSchema() {}

  static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .schemas("pgfleet")
        .table("flyway_dispatcher_history")
        .locations("classpath:db/dispatcher")
        .baselineOnMigrate(true)
        .baselineVersion("99")
        .load()
        .migrate();
  }
}
