package io.pgfleet.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 17 service databases of runbook 000's platform, small: each service's key tables from the
 * runbook's table with a few hundred rows, plus the tables the retention purges name (outbox,
 * idempotency keys, audit trail, analytics events), owned by the service's own role.
 */
public final class PlatformSample {
  /** Runbook 000's databases and their key tables. */
  public static final Map<String, List<String>> SERVICES = services();

  private PlatformSample() {}

  /** A created database and the credentials of the role that owns it. */
  public record ServiceDatabase(String name, String owner, String password) {}

  /**
   * Creates (or recreates) database {@code name} (one of {@link #SERVICES}) owned by {@code owner}.
   */
  public static ServiceDatabase create(LocalPostgres postgres, String name, String owner) {
    List<String> tables = SERVICES.get(name);
    if (tables == null) {
      throw new IllegalArgumentException("no service database " + name + "; " + SERVICES.keySet());
    }
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    postgres.createRole(owner, password);
    postgres.execute(
        "postgres", "DROP DATABASE IF EXISTS " + SqlQuoting.identifier(name) + " WITH (FORCE)");
    postgres.createDatabase(name, owner);
    StringBuilder sql = new StringBuilder(purgeable());
    for (String table : tables) {
      String t = SqlQuoting.identifier(table);
      sql.append("CREATE TABLE IF NOT EXISTS ")
          .append(t)
          .append(
              " (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL);\n")
          .append("INSERT INTO ")
          .append(t)
          .append(" (name, created_at) SELECT '")
          .append(table)
          .append("-' || i, now() - (i || ' minutes')::interval FROM generate_series(1, 300) i;\n");
    }
    try (Connection c = postgres.connect(name);
        Statement st = c.createStatement()) {
      st.execute("SET ROLE " + SqlQuoting.identifier(owner));
      st.execute(sql.toString());
      st.execute("ANALYZE");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot fill service database " + name, e);
    }
    return new ServiceDatabase(name, owner, password);
  }

  private static String purgeable() {
    try (InputStream in =
        PlatformSample.class.getResourceAsStream("samples/platform/purgeable.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the platform sample", e);
    }
  }

  private static Map<String, List<String>> services() {
    Map<String, List<String>> s = new LinkedHashMap<>();
    s.put("auth_db", List.of("users", "tokens", "roles"));
    s.put("user_db", List.of("users", "addresses"));
    s.put("order_db", List.of("orders", "order_items"));
    s.put("payment_db", List.of("payments", "payment_methods", "transactions"));
    s.put("catalog_db", List.of("products", "categories", "brands", "attributes"));
    s.put("warehouse_db", List.of("inventory", "stock_movements", "reservations"));
    s.put("checkout_db", List.of("carts", "cart_items"));
    s.put("customer_db", List.of("customers", "customer_addresses"));
    s.put("fulfillment_db", List.of("fulfillments", "picklists", "packages"));
    s.put("shipping_db", List.of("shipments", "tracking_events"));
    s.put("promotion_db", List.of("promotions", "coupons", "usage"));
    s.put("pricing_db", List.of("prices", "price_tiers"));
    s.put("return_db", List.of("returns", "return_items"));
    s.put("loyalty_db", List.of("accounts", "transactions", "rewards"));
    s.put("review_db", List.of("reviews", "ratings"));
    s.put("notification_db", List.of("notifications", "templates"));
    s.put("analytics_db", List.of("metrics"));
    return java.util.Collections.unmodifiableMap(s);
  }
}
