package io.pgfleet.worker.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Who streams a target's WAL: a lease with a heartbeat in the ledger, on the database's clock. A
 * worker takes a stream only when nobody holds it or its holder's lease has expired; each takeover
 * raises the epoch, and renewing or releasing needs the epoch the worker took, so a worker whose
 * lease was taken can no longer extend it.
 */
public final class StreamLeases {
  private static final String TAKE =
      """
      INSERT INTO pgfleet.wal_streams AS s (target, slot, worker, epoch, lease_expires_at)
      VALUES (?, ?, ?, 1, now() + make_interval(secs => ?))
      ON CONFLICT (target) DO UPDATE
        SET worker = EXCLUDED.worker, slot = EXCLUDED.slot, epoch = s.epoch + 1,
            lease_expires_at = EXCLUDED.lease_expires_at, updated_at = now()
        WHERE s.lease_expires_at IS NULL OR s.lease_expires_at < now()
      RETURNING epoch
      """;
  private static final String RENEW =
      """
      UPDATE pgfleet.wal_streams
      SET lease_expires_at = now() + make_interval(secs => ?), updated_at = now(),
          archived_lsn = coalesce(?, archived_lsn)
      WHERE target = ? AND worker = ? AND epoch = ?
      """;
  private static final String RELEASE =
      """
      UPDATE pgfleet.wal_streams SET worker = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE target = ? AND worker = ? AND epoch = ?
      """;

  private final DataSource dataSource;

  public StreamLeases(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Takes the target's stream for {@code ttl}; empty when another worker holds a live lease. */
  public OptionalLong take(String target, String slot, String worker, Duration ttl) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(TAKE)) {
      ps.setString(1, target);
      ps.setString(2, slot);
      ps.setString(3, worker);
      ps.setDouble(4, ttl.toMillis() / 1000.0);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    } catch (SQLException e) {
      throw new LedgerException("cannot take the WAL stream of " + target, e);
    }
  }

  /**
   * The heartbeat: extends the lease and records how far the archive holds complete segments; false
   * when the lease is no longer this worker's (taken over after it expired).
   */
  public boolean renew(String target, String worker, long epoch, Duration ttl, String archivedLsn) {
    return update(RENEW, "renew", target, worker, epoch, ttl, archivedLsn);
  }

  /** Gives the stream up, so that any worker may take it at once. */
  public void release(String target, String worker, long epoch) {
    update(RELEASE, "release", target, worker, epoch, null, null);
  }

  /** Forgets the target: it left streaming and its slot was dropped. */
  public void remove(String target, String worker, long epoch) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "DELETE FROM pgfleet.wal_streams WHERE target = ? AND worker = ? AND epoch = ?")) {
      ps.setString(1, target);
      ps.setString(2, worker);
      ps.setLong(3, epoch);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new LedgerException("cannot remove the WAL stream of " + target, e);
    }
  }

  /** Whether the ledger knows a stream (live or not) for the target. */
  public boolean known(String target) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT 1 FROM pgfleet.wal_streams WHERE target = ?")) {
      ps.setString(1, target);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw new LedgerException("cannot look up the WAL stream of " + target, e);
    }
  }

  private boolean update(
      String sql,
      String what,
      String target,
      String worker,
      long epoch,
      Duration ttl,
      String archivedLsn) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (ttl != null) {
        ps.setDouble(i++, ttl.toMillis() / 1000.0);
        ps.setString(i++, archivedLsn);
      }
      ps.setString(i++, target);
      ps.setString(i++, worker);
      ps.setLong(i, epoch);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new LedgerException("cannot " + what + " the WAL stream of " + target, e);
    }
  }
}
