package io.pgfleet.bench;

import java.util.List;

/**
 * The platform of runbook 000: one database per service, {@code <service>_db}, owned by {@code
 * <service>_user}.
 */
public final class Platform {
  public static final List<String> SERVICES =
      List.of(
          "auth",
          "user",
          "order",
          "payment",
          "catalog",
          "warehouse",
          "checkout",
          "customer",
          "fulfillment",
          "shipping",
          "promotion",
          "pricing",
          "return",
          "loyalty",
          "review",
          "notification",
          "analytics");

  private Platform() {}

  public static String database(String service) {
    return service + "_db";
  }

  public static String owner(String service) {
    return service + "_user";
  }
}
