package io.pgfleet.worker.config;

import io.pgfleet.runtime.config.Secret;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A login on a PostgreSQL server other than as a target's own user: the role that creates, drops
 * and renames databases for restores, or the server restore drills use as scratch space.
 *
 * @param host null for the target's own server (and port)
 * @param maintenanceDatabase the database administrative statements connect to
 */
public record ServerLogin(
    String host,
    Integer port,
    String user,
    Secret password,
    String sslMode,
    String maintenanceDatabase) {
  public ServerLogin {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    maintenanceDatabase = maintenanceDatabase == null ? "postgres" : maintenanceDatabase;
  }

  /** This login on the target's server when no host of its own is set. */
  public ServerLogin on(TargetConfig target) {
    if (host != null) {
      return this;
    }
    return new ServerLogin(
        target.host(),
        target.port(),
        user,
        password,
        sslMode == null ? target.sslMode() : sslMode,
        maintenanceDatabase);
  }

  /** The target's own user, as a login on its server. */
  public static ServerLogin of(TargetConfig target) {
    return new ServerLogin(
        target.host(), target.port(), target.user(), target.password(), target.sslMode(), null);
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + (port == null ? 5432 : port) + "/" + database;
  }

  /** libpq variables for pg_restore and friends: the password never goes on a command line. */
  public Map<String, String> libpqEnvironment(String database, String purpose) {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", host);
    env.put("PGPORT", String.valueOf(port == null ? 5432 : port));
    env.put("PGUSER", user);
    env.put("PGDATABASE", database);
    env.put("PGPASSWORD", password.reveal());
    env.put("PGSSLMODE", sslMode == null ? "prefer" : sslMode);
    env.put("PGAPPNAME", "pgfleet-" + purpose);
    env.put("PGCONNECT_TIMEOUT", "10");
    return env;
  }

  public String describe() {
    return user + "@" + host + ":" + (port == null ? 5432 : port);
  }
}
