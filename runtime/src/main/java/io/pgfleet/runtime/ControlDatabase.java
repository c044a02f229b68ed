package io.pgfleet.runtime;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pgfleet.runtime.config.LedgerSettings;

/**
 * The connection pool to the control database (the ledger's PostgreSQL). It migrates nothing: the
 * worker and the dispatcher each migrate their own tables once connected.
 */
public final class ControlDatabase {
  private ControlDatabase() {}

  /** Opens a pool; the first connection is made lazily, so a database still starting is fine. */
  public static HikariDataSource pool(LedgerSettings settings, String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.user());
    config.setPassword(settings.password().reveal());
    config.setMaximumPoolSize(settings.poolSize());
    config.setPoolName(name);
    config.addDataSourceProperty("ApplicationName", name);
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }
}
