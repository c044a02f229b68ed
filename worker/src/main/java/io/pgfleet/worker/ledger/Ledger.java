package io.pgfleet.worker.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.zaxxer.hikari.HikariDataSource;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.commands.result.RunState;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.runtime.ControlDatabase;
import io.pgfleet.runtime.config.LedgerSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The idempotency ledger in PostgreSQL: a command id executes at most once to a terminal state,
 * whatever Kafka redelivers. Lease times use the database's clock, the one clock every worker of
 * the fleet shares.
 */
public final class Ledger implements AutoCloseable {
  public static final String SCHEMA = "pgfleet";

  private static final String CLAIM =
      """
      INSERT INTO pgfleet.runs AS r
        (command_id, target, operation, data_sha256, state, attempt, worker, lease_expires_at,
         command)
      VALUES (?, ?, ?, ?, ?, 1, ?, now() + make_interval(secs => ?), ?::jsonb)
      ON CONFLICT (command_id) DO UPDATE
        SET attempt = r.attempt + 1, worker = EXCLUDED.worker,
            lease_expires_at = EXCLUDED.lease_expires_at, started_at = now()
        WHERE r.state = ANY (?) AND r.lease_expires_at < now()
          AND r.target = EXCLUDED.target AND r.operation = EXCLUDED.operation
          AND (r.data_sha256 IS NULL OR r.data_sha256 = EXCLUDED.data_sha256)
      RETURNING attempt, started_at, first_seen_at
      """;
  private static final String CURRENT =
      """
      SELECT state, attempt, worker, lease_expires_at, finished_at, target, operation, data_sha256,
             CASE WHEN result_published THEN NULL ELSE result_event END AS unpublished
      FROM pgfleet.runs WHERE command_id = ?
      """;
  private static final String RENEW =
      """
      UPDATE pgfleet.runs SET lease_expires_at = now() + make_interval(secs => ?)
      WHERE command_id = ? AND attempt = ? AND state = ?
      """;

  private static final String LAST_SUCCEEDED =
      """
      SELECT report FROM pgfleet.runs
      WHERE target = ? AND operation = ? AND state = ?
      ORDER BY started_at DESC LIMIT 1
      """;

  private final DataSource dataSource;
  private final AutoCloseable pool;

  private Ledger(DataSource dataSource, AutoCloseable pool) {
    this.dataSource = dataSource;
    this.pool = pool;
  }

  /**
   * Connects, and creates or upgrades the {@code pgfleet} schema with versioned migrations ({@link
   * LedgerSchema}).
   */
  public static Ledger open(LedgerSettings settings) {
    HikariDataSource pool = ControlDatabase.pool(settings, "pgfleet-ledger");
    Ledger ledger = new Ledger(pool, pool);
    try {
      ledger.migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    return ledger;
  }

  void migrate() {
    LedgerSchema.migrate(dataSource);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** The backup catalog kept in this ledger. */
  public BackupCatalog catalog() {
    return new BackupCatalog(dataSource);
  }

  /**
   * Claims a command: first delivery, or takeover of a run whose lease expired. An id already taken
   * by another command (target, operation or parameters) is a {@link Claim.Conflict}.
   *
   * @param commandJson the command as received, kept for audit
   */
  public Claim claim(IdempotencyKey key, String worker, Duration ttl, String commandJson) {
    String commandId = key.commandId();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
        ps.setString(1, commandId);
        ps.setString(2, key.target());
        ps.setString(3, key.operation());
        ps.setString(4, key.dataSha256());
        ps.setString(5, RunState.RUNNING.sqlName());
        ps.setString(6, worker);
        ps.setDouble(7, ttl.toMillis() / 1000.0);
        ps.setString(8, commandJson);
        // a takeover is a running run becoming running again: the table names who may
        ps.setArray(9, c.createArrayOf("text", RunState.sqlNamesBefore(RunState.RUNNING)));
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            Lease lease =
                new Lease(
                    commandId,
                    key.target(),
                    rs.getInt(1),
                    worker,
                    rs.getTimestamp(2).toInstant(),
                    rs.getTimestamp(3).toInstant());
            return new Claim.Granted(lease);
          }
        }
      }
      return current(c, key);
    } catch (SQLException e) {
      throw new LedgerException("cannot claim command " + commandId, e);
    }
  }

  private static Claim current(Connection c, IdempotencyKey key) throws SQLException {
    String commandId = key.commandId();
    try (PreparedStatement ps = c.prepareStatement(CURRENT)) {
      ps.setString(1, commandId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("run " + commandId + " vanished while being claimed");
        }
        RunState state = RunState.fromSql(rs.getString("state"));
        if (!key.matches(
            rs.getString("target"), rs.getString("operation"), rs.getString("data_sha256"))) {
          return new Claim.Conflict(state);
        }
        int attempt = rs.getInt("attempt");
        if (state.isTerminal()) {
          return new Claim.AlreadyFinished(
              state, attempt, instant(rs.getTimestamp("finished_at")), rs.getBytes("unpublished"));
        }
        return new Claim.HeldElsewhere(
            rs.getString("worker"), attempt, instant(rs.getTimestamp("lease_expires_at")));
      }
    }
  }

  /** Extends the lease; false when it was lost to another attempt. */
  public boolean renew(Lease lease, Duration ttl) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(RENEW)) {
      ps.setDouble(1, ttl.toMillis() / 1000.0);
      ps.setString(2, lease.commandId());
      ps.setInt(3, lease.attempt());
      ps.setString(4, RunState.RUNNING.sqlName());
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new LedgerException("cannot renew lease on " + lease.commandId(), e);
    }
  }

  /**
   * Moves the run to its terminal state and catalogs its artifacts, atomically. The result event is
   * stored with it until {@link #markPublished} confirms Kafka has it.
   *
   * @throws LeaseLostException when another attempt took the command over: nothing is written
   */
  public void finish(
      Lease lease,
      RunState state,
      RunError error,
      String reportJson,
      byte[] resultEvent,
      List<Artifact> artifacts,
      List<CatalogChange> catalog) {
    TerminalWrite.finish(
        dataSource, lease, state, error, reportJson, resultEvent, artifacts, catalog);
  }

  /**
   * Hands a lease back before its time, on shutdown: another worker may take the command over at
   * once instead of waiting for the lease to expire.
   */
  public void release(Lease lease) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE pgfleet.runs SET lease_expires_at = now()"
                    + " WHERE command_id = ? AND attempt = ? AND state = ?")) {
      ps.setString(1, lease.commandId());
      ps.setInt(2, lease.attempt());
      ps.setString(3, RunState.RUNNING.sqlName());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new LedgerException("cannot release the lease on " + lease.commandId(), e);
    }
  }

  /**
   * Notes that Kafka has these runs' results, in one statement for all of them. Committed without
   * waiting for the WAL flush: losing this write (a ledger crash right after it) only means a
   * result is published again when its command is delivered again, which the duplicate path already
   * does; the terminal state it follows was committed durably.
   */
  public void markPublished(List<String> commandIds) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement async =
              c.prepareStatement("SELECT set_config('synchronous_commit', 'off', true)");
          PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE pgfleet.runs SET result_published = true"
                      + " WHERE command_id = ANY(?) AND NOT result_published")) {
        async.execute();
        ps.setArray(1, c.createArrayOf("text", commandIds.toArray()));
        ps.executeUpdate();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new LedgerException("cannot mark the results of " + commandIds + " published", e);
    }
  }

  /**
   * The report of the latest run of an operation on a target that succeeded, e.g. the previous
   * health check, to measure what changed since.
   */
  public Optional<RunReport> lastSucceeded(String target, String operation) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(LAST_SUCCEEDED)) {
      ps.setString(1, target);
      ps.setString(2, operation);
      ps.setString(3, RunState.SUCCEEDED.sqlName());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          return Optional.empty();
        }
        // Leniently: a report written by a newer worker may carry fields this one does not know.
        return Optional.of(
            Json.mapper()
                .readerFor(RunReport.class)
                .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(rs.getString(1)));
      }
    } catch (SQLException | JsonProcessingException e) {
      throw new LedgerException("cannot read the last " + operation + " of " + target, e);
    }
  }

  /**
   * Takes the fleet-wide lock on a target, waiting for whoever holds it: at most one heavy
   * operation per target at a time, even across fleets that share this ledger.
   */
  public TargetLock lockTarget(String target, Duration pollEvery) throws InterruptedException {
    return TargetLock.acquire(dataSource, target, pollEvery);
  }

  private static Instant instant(Timestamp ts) {
    return ts == null ? null : ts.toInstant();
  }

  @Override
  public void close() {
    try {
      pool.close();
    } catch (Exception e) {
      throw new LedgerException("cannot close the ledger pool", e);
    }
  }
}
