package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.config.MaintenanceSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every check works with: the target's session, its thresholds, the previous check, and the
 * judging of a measured value against the thresholds.
 */
final class Probe {
  /** At most this many objects are listed in one finding. */
  static final int MAX_ITEMS = 20;

  private final Connection connection;
  private final MaintenanceSettings settings;
  private final Supplier<Optional<HealthHistory.Snapshot>> previous;
  private final Instant now;
  private final Map<String, Number> measurements = new LinkedHashMap<>();
  private Boolean seesAllSessions;

  Probe(
      Connection connection,
      MaintenanceSettings settings,
      Supplier<Optional<HealthHistory.Snapshot>> previous,
      Instant now) {
    this.connection = connection;
    this.settings = settings;
    this.previous = previous;
    this.now = now;
  }

  Connection connection() {
    return connection;
  }

  MaintenanceSettings settings() {
    return settings;
  }

  Instant now() {
    return now;
  }

  /**
   * Keeps a number a finding does not carry but an operator alerts on (the database's
   * transaction-ID age, its dead rows in total): it goes to the run's statistics.
   */
  void measure(String key, Number value) {
    measurements.put(key, value);
  }

  Map<String, Number> measurements() {
    return measurements;
  }

  Optional<HealthHistory.Snapshot> previous() {
    return previous.get();
  }

  HealthLimit.Level level(HealthLimit limit) {
    return settings.limit(limit);
  }

  /** The status of a measured value: critical, warning or ok by the target's thresholds. */
  Status judge(HealthLimit limit, double value) {
    return judge(level(limit), value);
  }

  /** The status of a measured value against one threshold's levels. */
  static Status judge(HealthLimit.Level level, double value) {
    if (level.critical() != null && value >= level.critical()) {
      return Status.CRITICAL;
    }
    if (level.warning() != null && value >= level.warning()) {
      return Status.WARNING;
    }
    return Status.OK;
  }

  /** Whether the value has reached at least the warning threshold. */
  boolean notable(HealthLimit limit, double value) {
    return judge(limit, value) != Status.OK;
  }

  Finding finding(
      HealthLimit limit,
      Status status,
      Double value,
      String message,
      List<Map<String, Object>> items) {
    return finding(limit, status, value, message, items, MAX_ITEMS);
  }

  /** A finding listing up to {@code maxItems} objects instead of {@link #MAX_ITEMS}. */
  Finding finding(
      HealthLimit limit,
      Status status,
      Double value,
      String message,
      List<Map<String, Object>> items,
      int maxItems) {
    HealthLimit.Level level = level(limit);
    Finding.Thresholds thresholds =
        level.warning() == null && level.critical() == null
            ? null
            : new Finding.Thresholds(compact(level.warning()), compact(level.critical()));
    List<Map<String, Object>> listed = items.size() > maxItems ? items.subList(0, maxItems) : items;
    return new Finding(
        limit.key(),
        status,
        compact(value),
        limit.unit().wireName(),
        thresholds,
        message,
        new ArrayList<>(listed));
  }

  /** A finding whose status follows from its value. */
  Finding measured(
      HealthLimit limit, double value, String message, List<Map<String, Object>> items) {
    return finding(limit, judge(limit, value), value, message, items);
  }

  Finding measured(
      HealthLimit limit,
      double value,
      String message,
      List<Map<String, Object>> items,
      int maxItems) {
    return finding(limit, judge(limit, value), value, message, items, maxItems);
  }

  /**
   * Whether this session sees every session's state and query (superuser or pg_read_all_stats);
   * otherwise only its own role's.
   */
  boolean seesAllSessions() throws SQLException {
    if (seesAllSessions == null) {
      try (PreparedStatement ps =
              connection.prepareStatement(
                  "SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')"
                      + " FROM pg_roles WHERE rolname = current_user");
          ResultSet rs = ps.executeQuery()) {
        seesAllSessions = rs.next() && rs.getBoolean(1);
      }
    }
    return seesAllSessions;
  }

  /** Appended to findings about sessions when the view is partial. */
  String visibilityNote() throws SQLException {
    return seesAllSessions()
        ? ""
        : " (only sessions of the target's own role are visible: grant it pg_read_all_stats to"
            + " see all)";
  }

  /** Rounds for the report: whole numbers stay whole, the rest keep two decimals. */
  static Number compact(Double value) {
    if (value == null) {
      return null;
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return value.longValue();
    }
    return Math.round(value * 100) / 100.0;
  }
}
