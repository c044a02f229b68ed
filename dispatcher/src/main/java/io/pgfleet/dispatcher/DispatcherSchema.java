package io.pgfleet.dispatcher;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The dispatcher's tables in the ledger's {@code pgfleet} schema. They have their own Flyway
 * history table and versions from 100, so the worker's migrations and the dispatcher's never
 * collide; the worker's run first (the schema is theirs), which is why a baseline is set.
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
