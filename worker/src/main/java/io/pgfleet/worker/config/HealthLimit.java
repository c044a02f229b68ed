package io.pgfleet.worker.config;

import io.pgfleet.commands.Durations;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The thresholds of the health checks, each declared once with its unit and defaults. A value at or
 * above a threshold has that status; a null default means the level is off unless configured.
 */
public enum HealthLimit {
  DATABASE_SIZE("database-size", Unit.BYTES, null, null),
  DATABASE_GROWTH("database-growth", Unit.PERCENT, 25.0, 100.0),
  CONNECTIONS("connections", Unit.PERCENT, 80.0, 95.0),
  LONG_RUNNING_QUERIES("long-running-queries", Unit.SECONDS, 300.0, 1800.0),
  IDLE_IN_TRANSACTION("idle-in-transaction", Unit.SECONDS, 300.0, 1800.0),
  BLOCKING_LOCKS("blocking-locks", Unit.SECONDS, 60.0, 300.0),
  DEAD_TUPLES("dead-tuples", Unit.PERCENT, 20.0, 50.0),
  STALE_ANALYZE("stale-analyze", Unit.SECONDS, 7 * 86400.0, 30 * 86400.0),
  STALE_VACUUM("stale-vacuum", Unit.SECONDS, 7 * 86400.0, 30 * 86400.0),
  WRAPAROUND("wraparound", Unit.PERCENT, 100.0, 200.0),
  SEQUENCE_EXHAUSTION("sequence-exhaustion", Unit.PERCENT, 75.0, 90.0),
  INVALID_INDEXES("invalid-indexes", Unit.COUNT, 1.0, null),
  UNUSED_INDEXES("unused-indexes", Unit.BYTES, 8.0 * (1 << 20), null),
  DUPLICATE_INDEXES("duplicate-indexes", Unit.COUNT, 1.0, null),
  INDEX_BLOAT("index-bloat", Unit.PERCENT, 30.0, 50.0),
  /** Not a check of its own: the wasted bytes an index must also reach to be flagged. */
  INDEX_BLOAT_BYTES("index-bloat-bytes", Unit.BYTES, 10.0 * (1 << 20), 100.0 * (1 << 20)),
  TABLE_SIZE("table-size", Unit.BYTES, 10.0 * (1L << 30), 100.0 * (1L << 30)),
  PREPARED_TRANSACTIONS("prepared-transactions", Unit.SECONDS, 60.0, 600.0),
  REPLICATION_LAG("replication-lag", Unit.SECONDS, 60.0, 300.0),
  REPLICATION_SLOTS("replication-slots", Unit.COUNT, 1.0, null),
  SLOW_STATEMENTS("slow-statements", Unit.SECONDS, 1.0, 10.0),
  WAL_SIZE("wal-size", Unit.BYTES, 2.0 * (1L << 30), 10.0 * (1L << 30)),
  ARCHIVER("archiver", Unit.COUNT, 16.0, 128.0),
  SLOT_RETAINED_WAL("slot-retained-wal", Unit.BYTES, 1.0 * (1L << 30), 10.0 * (1L << 30)),
  DISK_SPACE("disk-space", Unit.PERCENT, 100.0, 200.0),
  SECURITY("security", Unit.COUNT, 1.0, null),
  AUTOVACUUM_TUNING("autovacuum-tuning", Unit.COUNT, 1.0, null);

  /** The unit of a limit, and how it is written in a config file. */
  public enum Unit {
    PERCENT,
    SECONDS,
    BYTES,
    COUNT;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kMGT]i?B|B)?");

  private final String key;
  private final Unit unit;
  private final Double warning;
  private final Double critical;

  HealthLimit(String key, Unit unit, Double warning, Double critical) {
    this.key = key;
    this.unit = unit;
    this.warning = warning;
    this.critical = critical;
  }

  /** The name in config files and findings, e.g. {@code long-running-queries}. */
  public String key() {
    return key;
  }

  public Unit unit() {
    return unit;
  }

  public Level defaults() {
    return new Level(warning, critical);
  }

  public static Optional<HealthLimit> fromKey(String key) {
    return Arrays.stream(values()).filter(l -> l.key.equals(key)).findFirst();
  }

  /**
   * Parses a threshold as written in a config file: {@code 5m} for seconds, {@code 10GB} for bytes
   * (powers of 1024, as PostgreSQL counts), a number otherwise; {@code off} switches a level off.
   */
  public Double parse(String text) {
    String value = text.trim();
    if (value.equals("off") || value.equals("false")) { // YAML 1.1 reads a bare off as false
      return null;
    }
    return switch (unit) {
      case SECONDS ->
          value.matches("\\d+(\\.\\d+)?")
              ? Double.parseDouble(value)
              : Durations.parse(value).toMillis() / 1000.0;
      case BYTES -> bytes(value);
      case PERCENT, COUNT -> number(value);
    };
  }

  private static double number(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number, not '" + value + "'");
    }
  }

  private static double bytes(String value) {
    Matcher m = SIZE.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a size like 512MB or 10GB, not '" + value + "'");
    }
    String suffix = m.group(2) == null ? "B" : m.group(2).replace("i", "");
    int shift =
        switch (suffix) {
          case "kB" -> 10;
          case "MB" -> 20;
          case "GB" -> 30;
          case "TB" -> 40;
          default -> 0;
        };
    return Double.parseDouble(m.group(1)) * (1L << shift);
  }

  /** Where warning and critical begin; null: that level is off. */
  public record Level(Double warning, Double critical) {
    public Level {
      if (warning != null && critical != null && critical < warning) {
        throw new IllegalArgumentException(
            "critical (" + critical + ") must not be below warning (" + warning + ")");
      }
    }
  }
}
