package io.pgfleet.bench.purge;

import io.pgfleet.local.LocalPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The scenario's data, generated once with a fixed seed into a template database: an order
 * service's outbox with {@code expired} published events older than a week, and a tenth as many
 * recent ones. Every run starts from an identical copy ({@code CREATE DATABASE ... TEMPLATE}).
 */
final class OutboxData {
  static final String TEMPLATE = "bench_purge_template";
  static final String OWNER = "bench_outbox";

  private OutboxData() {}

  static void createTemplate(LocalPostgres pg, String ownerPassword, int expired)
      throws SQLException {
    pg.createRole(OWNER, ownerPassword);
    pg.execute("postgres", "DROP DATABASE IF EXISTS " + TEMPLATE);
    pg.createDatabase(TEMPLATE, OWNER);
    try (Connection c = pg.connect(TEMPLATE);
        Statement st = c.createStatement()) {
      st.execute("SET ROLE " + OWNER);
      st.execute(
          """
          CREATE TABLE outbox_events (
            id           bigserial PRIMARY KEY,
            aggregate_id bigint      NOT NULL,
            event_type   text        NOT NULL,
            payload      jsonb       NOT NULL,
            status       text        NOT NULL CHECK (status IN ('pending', 'published', 'failed')),
            created_at   timestamptz NOT NULL,
            processed_at timestamptz
          );
          CREATE INDEX outbox_events_status_processed ON outbox_events (status, processed_at);
          """);
      st.execute("SELECT setseed(0.42)");
      st.execute(
          """
          INSERT INTO outbox_events (aggregate_id, event_type, payload, status, created_at,
                                     processed_at)
          SELECT 1 + (random() * 50000)::int,
                 (ARRAY['OrderCreated', 'OrderPaid', 'OrderShipped'])[1 + (i %% 3)],
                 jsonb_build_object('orderId', 1 + (random() * 50000)::int, 'seq', i),
                 'published',
                 now() - interval '30 days' + i * (interval '20 days' / %1$d),
                 now() - interval '30 days' + i * (interval '20 days' / %1$d)
          FROM generate_series(1, %1$d) AS i
          """
              .formatted(expired));
      st.execute(
          """
          INSERT INTO outbox_events (aggregate_id, event_type, payload, status, created_at)
          SELECT 1 + (random() * 50000)::int, 'OrderCreated',
                 jsonb_build_object('orderId', 1 + (random() * 50000)::int, 'seq', i),
                 'pending', now() - i * interval '1 second'
          FROM generate_series(1, %d) AS i
          """
              .formatted(Math.max(1, expired / 10)));
      st.execute("RESET ROLE");
      st.execute("VACUUM (ANALYZE, FREEZE) outbox_events");
    }
    pg.execute("postgres", "ALTER DATABASE " + TEMPLATE + " WITH ALLOW_CONNECTIONS false");
  }

  /** A fresh copy of the template, replacing any earlier one of that name. */
  static void copy(LocalPostgres pg, String database) {
    pg.execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    pg.execute(
        "postgres",
        "CREATE DATABASE "
            + database
            + " TEMPLATE "
            + TEMPLATE
            + " OWNER "
            + OWNER
            + " STRATEGY FILE_COPY");
    pg.execute("postgres", "CHECKPOINT");
  }
}
