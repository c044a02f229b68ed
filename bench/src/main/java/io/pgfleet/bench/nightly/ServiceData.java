package io.pgfleet.bench.nightly;

import io.pgfleet.bench.Platform;
import io.pgfleet.local.LocalPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The platform's per-service databases ({@code auth_db} ... {@code analytics_db}), generated once
 * with a fixed seed: each a mix of an accounts table (short text, numbers, timestamps), an event
 * log (jsonb payloads, two indexes) and a notes table of less compressible text, sized between the
 * given bounds. Each database is owned by its service's role ({@code auth_user}), as in the
 * runbook's {@code backup_all.sh}.
 */
final class ServiceData {
  private static final long SEED = 17;

  /** One service's database and the size it was generated for. */
  record Service(String database, String owner, int megabytes) {}

  private ServiceData() {}

  /** The first {@code count} services, each with a size in [minMb, maxMb] drawn from the seed. */
  static List<Service> plan(int count, int minMb, int maxMb) {
    Random random = new Random(SEED);
    List<Service> out = new ArrayList<>();
    for (String name : Platform.SERVICES.subList(0, count)) {
      int megabytes = minMb + random.nextInt(maxMb - minMb + 1);
      out.add(new Service(Platform.database(name), Platform.owner(name), megabytes));
    }
    return out;
  }

  static void create(LocalPostgres pg, Service service, String password, int index)
      throws SQLException {
    pg.createRole(service.owner(), password);
    pg.execute("postgres", "DROP DATABASE IF EXISTS " + service.database() + " WITH (FORCE)");
    pg.createDatabase(service.database(), service.owner());
    // Rows per megabyte on disk, measured with these tables (indexes included).
    int events = service.megabytes() * 3_600;
    int accounts = service.megabytes() * 700;
    int notes = service.megabytes() * 250;
    try (Connection c = pg.connect(service.database());
        Statement st = c.createStatement()) {
      st.execute("SET ROLE " + service.owner());
      st.execute(
          """
          CREATE TABLE accounts (
            id           bigint PRIMARY KEY,
            email        text NOT NULL,
            display_name text NOT NULL,
            country      char(2) NOT NULL,
            status       text NOT NULL,
            balance      numeric(12, 2) NOT NULL,
            created_at   timestamptz NOT NULL
          );
          CREATE TABLE events (
            id         bigserial PRIMARY KEY,
            account_id bigint NOT NULL,
            kind       text NOT NULL,
            payload    jsonb NOT NULL,
            created_at timestamptz NOT NULL
          );
          CREATE TABLE notes (
            id         bigserial PRIMARY KEY,
            account_id bigint NOT NULL,
            body       text NOT NULL
          );
          """);
      st.execute("SELECT setseed(" + (index + 1) / 100.0 + ")");
      st.execute(
          """
          INSERT INTO accounts
          SELECT i, 'user' || i || '@example.' || (ARRAY['com', 'org', 'net'])[1 + (random() * 2)::int],
                 initcap(substr(md5(random()::text), 1, 6)) || ' '
                   || initcap(substr(md5(random()::text), 1, 9)),
                 (ARRAY['DE', 'FR', 'US', 'GB', 'NL', 'ES', 'IT', 'PL'])[1 + (random() * 7)::int],
                 (ARRAY['active', 'active', 'active', 'suspended', 'closed'])[1 + (random() * 4)::int],
                 round((random() * 10000)::numeric, 2),
                 timestamptz '2024-01-01' + random() * interval '700 days'
          FROM generate_series(1, %d) AS i
          """
              .formatted(accounts));
      st.execute(
          """
          INSERT INTO events (account_id, kind, payload, created_at)
          SELECT 1 + (random() * %1$d)::int,
                 (ARRAY['Created', 'Updated', 'Paid', 'Shipped', 'Cancelled'])[1 + (random() * 4)::int],
                 jsonb_build_object('amount', round((random() * 500)::numeric, 2),
                                    'currency', (ARRAY['EUR', 'USD', 'GBP'])[1 + (random() * 2)::int],
                                    'items', 1 + (random() * 9)::int,
                                    'ref', substr(md5(random()::text), 1, 12)),
                 timestamptz '2025-01-01' + i * interval '1 second'
          FROM generate_series(1, %2$d) AS i
          """
              .formatted(accounts, events));
      st.execute(
          """
          INSERT INTO notes (account_id, body)
          SELECT 1 + (random() * %1$d)::int,
                 md5(random()::text) || ' ' || md5(random()::text) || ' '
                   || (ARRAY['called back', 'refund approved', 'address changed',
                             'escalated to tier 2'])[1 + (random() * 3)::int]
          FROM generate_series(1, %2$d) AS i
          """
              .formatted(accounts, notes));
      st.execute("CREATE INDEX events_account ON events (account_id, created_at)");
      st.execute("CREATE INDEX accounts_email ON accounts (email)");
      st.execute("RESET ROLE");
      st.execute("VACUUM (ANALYZE, FREEZE)");
    }
  }

  static long sizeOf(LocalPostgres pg, String database) throws SQLException {
    try (Connection c = pg.connect(database);
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
