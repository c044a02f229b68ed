package io.pgfleet.bench.dump;

import io.pgfleet.bench.DataSize;
import io.pgfleet.local.LocalPostgres;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * A shop's database, generated inside PostgreSQL with a fixed seed so that dumps compress the way
 * real data does: customers, orders and order events with text, numeric, jsonb and timestamps, and
 * their indexes. It grows in chunks, each seeded by its number and sized by the target, so the same
 * sizes asked in the same order give the same rows.
 */
public final class ShopData {
  /** The tables, largest last; their row counts are what drills compare. */
  public static final List<String> TABLES = List.of("phrases", "customers", "orders", "events");

  private final LocalPostgres pg;
  private final String database;
  private int chunks;

  private ShopData(LocalPostgres pg, String database) {
    this.pg = pg;
    this.database = database;
  }

  /** {@link #create} then {@link #growTo}: the database a scenario measures, said in the log. */
  public static ShopData generate(LocalPostgres pg, String database, long bytes, PrintStream log)
      throws SQLException {
    log.printf(Locale.ROOT, "generating a %s database (fixed seed)...%n", DataSize.label(bytes));
    ShopData data = create(pg, database);
    data.growTo(bytes);
    return data;
  }

  /**
   * Creates {@code database} (replacing any of that name) with empty tables, owned by the
   * superuser.
   */
  public static ShopData create(LocalPostgres pg, String database) throws SQLException {
    pg.execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    pg.execute("postgres", "CREATE DATABASE " + database);
    try (Connection c = pg.connect(database);
        Statement st = c.createStatement()) {
      st.execute(
          """
          CREATE TABLE phrases (id int PRIMARY KEY, phrase text NOT NULL);
          CREATE TABLE customers (
            id         bigint PRIMARY KEY,
            email      text        NOT NULL,
            name       text        NOT NULL,
            country    char(2)     NOT NULL,
            created_at timestamptz NOT NULL,
            profile    jsonb       NOT NULL
          );
          CREATE TABLE orders (
            id          bigint PRIMARY KEY,
            customer_id bigint        NOT NULL,
            status      text          NOT NULL,
            total       numeric(12,2) NOT NULL,
            placed_at   timestamptz   NOT NULL,
            items       jsonb         NOT NULL,
            note        text
          );
          CREATE INDEX orders_customer ON orders (customer_id);
          CREATE INDEX orders_placed_at ON orders (placed_at);
          CREATE TABLE events (
            id       bigint PRIMARY KEY,
            order_id bigint      NOT NULL,
            kind     text        NOT NULL,
            at       timestamptz NOT NULL,
            payload  jsonb       NOT NULL
          );
          CREATE INDEX events_order ON events (order_id);
          """);
      st.execute("SELECT setseed(0.42)");
      st.execute(
          """
          INSERT INTO phrases
          SELECT i, array_to_string(ARRAY(
                   SELECT (ARRAY['order', 'shipped', 'customer', 'asked', 'for', 'a', 'refund',
                     'the', 'parcel', 'was', 'late', 'please', 'call', 'before', 'delivery',
                     'gift', 'wrap', 'leave', 'at', 'door', 'fragile', 'handle', 'with', 'care',
                     'invoice', 'sent', 'to', 'billing', 'address', 'discount', 'applied',
                     'loyalty', 'points', 'warehouse', 'berlin', 'paris', 'madrid', 'blue',
                     'large', 'small', 'returned', 'item', 'damaged', 'replacement', 'promised',
                     'next', 'week', 'tracking', 'number', 'updated'])[1 + floor(random() * 50)::int]
                   FROM generate_series(1, 6 + (i % 7) + floor(random() * 4)::int)), ' ')
          FROM generate_series(1, 1000) AS i
          """);
    }
    return new ShopData(pg, database);
  }

  /** Adds chunks of rows until the tables take at least {@code bytes}; then checkpoints. */
  public void growTo(long bytes) throws SQLException {
    int rows = (int) Math.max(1_000, Math.min(100_000, bytes / 2_000));
    try (Connection c = pg.connect(database);
        Statement st = c.createStatement()) {
      while (size(st) < bytes) {
        addChunk(st, rows);
      }
      st.execute("VACUUM ANALYZE");
      st.execute("CHECKPOINT");
    }
  }

  /** The tables' size on disk with their indexes, bytes. */
  public long size() throws SQLException {
    try (Connection c = pg.connect(database);
        Statement st = c.createStatement()) {
      return size(st);
    }
  }

  /** The tables' size with their indexes and TOAST: the data a dump reads, without the catalog. */
  private static long size(Statement st) throws SQLException {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT sum(pg_total_relation_size(oid)) FROM pg_class"
                + " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Chunk {@code n}: rows/10 customers, rows orders, 2 x rows events; seeded by its number. */
  private void addChunk(Statement st, int rows) throws SQLException {
    long first = (long) chunks * rows;
    long customers = rows / 10;
    st.execute(String.format(Locale.ROOT, "SELECT setseed(%f)", (chunks % 1999) / 1000.0 - 0.999));
    st.execute(
        String.format(
            Locale.ROOT,
            """
            INSERT INTO customers
            SELECT g,
                   'user' || g || '@' || (ARRAY['example.com', 'mail.test', 'shop.test'])[1 + g %% 3],
                   (ARRAY['Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Felix', 'Greta', 'Hugo'])
                     [1 + floor(random() * 8)::int] || ' ' ||
                   (ARRAY['Müller', 'Martin', 'García', 'Rossi', 'Smith', 'Novak', 'Berg'])
                     [1 + floor(random() * 7)::int],
                   (ARRAY['DE', 'FR', 'ES', 'IT', 'GB', 'CZ', 'SE'])[1 + floor(random() * 7)::int],
                   timestamptz '2020-01-01' + random() * interval '1800 days',
                   jsonb_build_object('newsletter', random() < 0.3, 'tier',
                     (ARRAY['bronze', 'silver', 'gold'])[1 + floor(random() * 3)::int],
                     'phone', '+49 ' || floor(random() * 1e9)::bigint)
            FROM generate_series(%d, %d) AS g
            """,
            first / 10 + 1,
            first / 10 + customers));
    st.execute(
        String.format(
            Locale.ROOT,
            """
            INSERT INTO orders
            SELECT s.g, 1 + floor(random() * %d)::bigint,
                   (ARRAY['placed', 'paid', 'shipped', 'delivered', 'returned'])
                     [1 + floor(random() * 5)::int],
                   round((random() * 500)::numeric, 2),
                   timestamptz '2024-01-01' + random() * interval '700 days',
                   jsonb_build_array(
                     jsonb_build_object('sku', 'SKU-' || floor(random() * 50000)::int,
                       'qty', 1 + floor(random() * 4)::int,
                       'price', round((random() * 200)::numeric, 2)),
                     jsonb_build_object('sku', 'SKU-' || floor(random() * 50000)::int,
                       'qty', 1 + floor(random() * 4)::int,
                       'price', round((random() * 200)::numeric, 2))),
                   CASE WHEN random() < 0.6 THEN p.phrase END
            FROM (SELECT g, 1 + floor(random() * 1000)::int AS r
                  FROM generate_series(%d, %d) AS g) AS s
            JOIN phrases AS p ON p.id = s.r
            """,
            first / 10 + customers,
            first + 1,
            first + rows));
    st.execute(
        String.format(
            Locale.ROOT,
            """
            INSERT INTO events
            SELECT g, %d + (g - %d) / 2,
                   (ARRAY['OrderPlaced', 'PaymentCaptured', 'ParcelShipped', 'ParcelDelivered'])
                     [1 + floor(random() * 4)::int],
                   timestamptz '2024-01-01' + random() * interval '700 days',
                   jsonb_build_object('source', 'order-service', 'version', 3,
                     'trace', md5(g::text), 'amount', round((random() * 500)::numeric, 2),
                     'warehouse', (ARRAY['berlin', 'paris', 'madrid'])[1 + floor(random() * 3)::int])
            FROM generate_series(%d, %d) AS g
            """,
            first + 1,
            2 * first + 1,
            2 * first + 1,
            2 * (first + rows)));
    chunks++;
  }
}
