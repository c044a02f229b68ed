package io.pgfleet.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Sample databases shaped like the services of a microservices platform (one database per service,
 * owned by the service's own role), with some thousands of rows each: order_db with its
 * transactional outbox, payment_db, warehouse_db with an audit trail.
 */
public final class SampleFleet {
  public static final List<String> DATABASES = List.of("order_db", "payment_db", "warehouse_db");

  private SampleFleet() {}

  /** A sample database and the credentials of the role that owns it. */
  public record SampleDatabase(String name, String owner, String password) {}

  /** Creates (or recreates) every sample database on the server. */
  public static List<SampleDatabase> create(LocalPostgres postgres) {
    List<SampleDatabase> created = new ArrayList<>();
    for (String name : DATABASES) {
      created.add(create(postgres, name, name));
    }
    return created;
  }

  /**
   * Creates database {@code database} with the schema and rows of sample {@code sample} (one of
   * {@link #DATABASES}), owned by a new role {@code <database>_user}.
   */
  public static SampleDatabase create(LocalPostgres postgres, String sample, String database) {
    String owner = database.replaceAll("_db$", "") + "_user";
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    postgres.createRole(owner, password);
    postgres.execute(
        "postgres", "DROP DATABASE IF EXISTS " + SqlQuoting.identifier(database) + " WITH (FORCE)");
    postgres.createDatabase(database, owner);
    try (Connection c = postgres.connect(database);
        Statement st = c.createStatement()) {
      st.execute("SET ROLE " + SqlQuoting.identifier(owner));
      st.execute(script(sample));
      st.execute("ANALYZE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot fill sample database " + database, e);
    }
    return new SampleDatabase(database, owner, password);
  }

  private static String script(String sample) {
    String resource = "samples/" + sample + ".sql";
    try (InputStream in = SampleFleet.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample named " + sample + "; samples: " + DATABASES);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource, e);
    }
  }
}
