package io.pgfleet.worker.wal.stream;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.copy.CopyDual;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.v3.replication.V3PGReplicationStream;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.postgresql.replication.ReplicationType;

/**
 * Starts physical replication on a given timeline. PgJDBC's replication builder has no TIMELINE
 * option and so always streams the server's current timeline, which cannot serve WAL from before a
 * promotion; this sends the START_REPLICATION command itself and wraps the copy stream in PgJDBC's
 * own stream class. The slot flushes only what {@code setFlushedLSN} says (no automatic flush): the
 * slot must not move past WAL that is not archived.
 */
final class PhysicalStream {
  private static final long STATUS_INTERVAL_MS = 1000;

  private PhysicalStream() {}

  static PGReplicationStream start(Connection replication, String slot, long start, int timeline)
      throws SQLException {
    LogSequenceNumber from = LogSequenceNumber.valueOf(start);
    String command =
        "START_REPLICATION SLOT " + slot + " PHYSICAL " + from.asString() + " TIMELINE " + timeline;
    BaseConnection connection = replication.unwrap(BaseConnection.class);
    CopyDual copy = (CopyDual) connection.getQueryExecutor().startCopy(command, true);
    return new V3PGReplicationStream(
        copy, from, STATUS_INTERVAL_MS, false, ReplicationType.PHYSICAL);
  }
}
