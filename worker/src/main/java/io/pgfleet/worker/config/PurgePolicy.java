package io.pgfleet.worker.config;

import io.pgfleet.commands.PurgeParams;
import io.pgfleet.worker.sql.TableRef;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A retention rule of one target, defined in its worker config and named by purge commands: rows of
 * {@code table} whose {@code timeColumn} is older than {@code olderThan} (and, if set, whose {@code
 * statusColumn} is one of {@code statusValues}) are deleted in short keyset batches on {@code
 * keyColumn}, after being archived as {@code archive} says. That the policy exists in the config is
 * what authorizes deleting those rows. Built with {@link #builder(String)}.
 *
 * @param keyColumn column with a unique index to batch on; null for the single-column primary key
 * @param batchSize keys (rows) spanned by the first batch; later batches grow or shrink so that
 *     each takes about {@code batchTime}
 * @param maxBatchSize most keys one batch spans (default 50,000 with batchBy key, 1,000,000 ctid)
 * @param batchTime how long one batch's transaction should take
 * @param pause rest after a batch that another session waited for (a lock it held); none otherwise
 * @param lockTimeout how long a batch waits for a lock before it backs off and tries again
 * @param statementTimeout the longest any single statement of the purge may run
 * @param vacuum VACUUM (ANALYZE) the table at the end instead of only ANALYZE
 * @param batchBy how batches cut the table: along the key's index, or by physical position
 * @param sessions connections deleting slices of pages at once ({@code batchBy: ctid} only)
 */
public record PurgePolicy(
    String name,
    TableRef table,
    String timeColumn,
    Duration olderThan,
    String statusColumn,
    List<String> statusValues,
    String keyColumn,
    Archive archive,
    int batchSize,
    int maxBatchSize,
    Duration batchTime,
    Duration pause,
    Duration lockTimeout,
    Duration statementTimeout,
    boolean vacuum,
    BatchBy batchBy,
    int sessions) {

  public static final int DEFAULT_BATCH_SIZE = 1_000;
  public static final int DEFAULT_MAX_BATCH_SIZE = 1_000_000; // batchBy ctid
  public static final int DEFAULT_MAX_KEYS = 50_000; // key: a batch may meet only expired rows
  public static final Duration DEFAULT_BATCH_TIME = Duration.ofMillis(200);
  public static final Duration DEFAULT_PAUSE = Duration.ofMillis(10);
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMillis(500);
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
  public static final int MAX_SESSIONS = 8;

  public PurgePolicy {
    PurgeParams.requireName(name);
    Objects.requireNonNull(table, "policy " + name + ": table is required");
    require(timeColumn != null, name, "timeColumn is required");
    TableRef.requireIdentifier(timeColumn, "time column");
    requirePositive(name, "olderThan", olderThan);
    statusValues = statusValues == null ? List.of() : List.copyOf(statusValues);
    if ((statusColumn == null) != statusValues.isEmpty()) {
      throw new IllegalArgumentException(
          "policy " + name + ": give statusColumn and statusValues together, or neither");
    }
    if (statusColumn != null) {
      TableRef.requireIdentifier(statusColumn, "status column");
    }
    boolean nul = statusValues.stream().anyMatch(v -> v.indexOf('\0') >= 0);
    require(!nul, name, "a statusValues entry contains a NUL character, which no text can hold");
    if (keyColumn != null) {
      TableRef.requireIdentifier(keyColumn, "key column");
    }
    archive = archive == null ? Archive.NONE : archive;
    if (batchSize < 1 || maxBatchSize < batchSize) {
      throw new IllegalArgumentException(
          "policy " + name + ": need 1 <= batchSize <= maxBatchSize");
    }
    requirePositive(name, "batchTime", batchTime);
    requirePositive(name, "lockTimeout", lockTimeout);
    requirePositive(name, "statementTimeout", statementTimeout);
    require(pause != null && !pause.isNegative(), name, "pause must not be negative");
    batchBy = batchBy == null ? BatchBy.KEY : batchBy;
    if (batchBy == BatchBy.CTID && archive.kind() == Archive.Kind.S3) {
      String why = "an S3 archive's manifests record key ranges, so it needs batchBy key";
      throw new IllegalArgumentException(
          "policy " + name + ": batchBy ctid works with archive none or table; " + why);
    }
    if (sessions < 1 || sessions > MAX_SESSIONS || (sessions > 1 && batchBy != BatchBy.CTID)) {
      String most = "up to " + MAX_SESSIONS + " with batchBy ctid";
      throw new IllegalArgumentException("policy " + name + ": sessions must be 1, or " + most);
    }
  }

  /**
   * How a purge cuts the table into batches. {@code KEY}: ranges of the key column's unique index.
   * {@code CTID}: ranges of the table's pages (a TID range scan, PostgreSQL 14+), one sequential
   * pass over the table with no index; a row that an UPDATE moves into a range already passed
   * during the purge waits for the next one.
   */
  public enum BatchBy {
    KEY,
    CTID;

    /** {@code key} or {@code ctid}, as the config file spells it. */
    public static BatchBy parse(String value) {
      for (BatchBy b : values()) {
        if (b.name().equalsIgnoreCase(value)) {
          return b;
        }
      }
      throw new IllegalArgumentException("batchBy must be key or ctid, not " + value);
    }
  }

  private static void requirePositive(String policy, String what, Duration d) {
    require(d != null && !d.isNegative() && !d.isZero(), policy, what + " must be positive");
  }

  private static void require(boolean ok, String policy, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("policy " + policy + ": " + problem);
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Where expired rows go before they are deleted.
   *
   * @param table the archive table, for {@link Kind#TABLE}
   * @param segmentRows rows per S3 object, for {@link Kind#S3}
   */
  public record Archive(Kind kind, TableRef table, int segmentRows) {
    public static final Archive NONE = new Archive(Kind.NONE, null, 0);
    public static final Archive S3 = s3(100_000);

    /** none: deleted; table: copied into another table in the batch's transaction; s3: CSV. */
    public enum Kind {
      NONE,
      TABLE,
      S3
    }

    public Archive {
      Objects.requireNonNull(kind, "archive kind");
      if (kind == Kind.TABLE && table == null) {
        throw new IllegalArgumentException("an archive to a table needs the table's name");
      }
      if (kind == Kind.S3 && segmentRows < 1) {
        throw new IllegalArgumentException("segmentRows must be at least 1");
      }
    }

    public static Archive table(String name) {
      return new Archive(Kind.TABLE, TableRef.parse(name), 0);
    }

    public static Archive s3(int segmentRows) {
      return new Archive(Kind.S3, null, segmentRows);
    }

    public String describe() {
      return switch (kind) {
        case NONE -> "none";
        case TABLE -> "table " + table;
        case S3 -> "s3";
      };
    }
  }

  /** Fluent construction with the defaults above; {@link #build()} validates. */
  public static final class Builder {
    private final String name;
    private String table;
    private String timeColumn;
    private Duration olderThan;
    private String statusColumn;
    private List<String> statusValues = List.of();
    private String keyColumn;
    private Archive archive = Archive.NONE;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Integer maxBatchSize;
    private Duration batchTime = DEFAULT_BATCH_TIME;
    private Duration pause = DEFAULT_PAUSE;
    private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private boolean vacuum;
    private BatchBy batchBy = BatchBy.KEY;
    private int sessions = 1;

    private Builder(String name) {
      this.name = name;
    }

    public Builder table(String value) {
      table = value;
      return this;
    }

    public Builder timeColumn(String value) {
      timeColumn = value;
      return this;
    }

    public Builder olderThan(Duration value) {
      olderThan = value;
      return this;
    }

    public Builder status(String column, List<String> values) {
      statusColumn = column;
      statusValues = values;
      return this;
    }

    public Builder keyColumn(String value) {
      keyColumn = value;
      return this;
    }

    public Builder archive(Archive value) {
      archive = value;
      return this;
    }

    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder maxBatchSize(int value) {
      maxBatchSize = value;
      return this;
    }

    public Builder batchTime(Duration value) {
      batchTime = value;
      return this;
    }

    public Builder pause(Duration value) {
      pause = value;
      return this;
    }

    public Builder lockTimeout(Duration value) {
      lockTimeout = value;
      return this;
    }

    public Builder statementTimeout(Duration value) {
      statementTimeout = value;
      return this;
    }

    public Builder vacuum(boolean value) {
      vacuum = value;
      return this;
    }

    public Builder batchBy(BatchBy value) {
      batchBy = value;
      return this;
    }

    public Builder sessions(int value) {
      sessions = value;
      return this;
    }

    public PurgePolicy build() {
      if (table == null) {
        throw new IllegalArgumentException("policy " + name + ": table is required");
      }
      int max = batchBy == BatchBy.CTID ? DEFAULT_MAX_BATCH_SIZE : DEFAULT_MAX_KEYS;
      return new PurgePolicy(
          name,
          TableRef.parse(table),
          timeColumn,
          olderThan,
          statusColumn,
          statusValues,
          keyColumn,
          archive,
          batchSize,
          maxBatchSize != null ? maxBatchSize : Math.max(max, batchSize),
          batchTime,
          pause,
          lockTimeout,
          statementTimeout,
          vacuum,
          batchBy,
          sessions);
    }
  }
}
