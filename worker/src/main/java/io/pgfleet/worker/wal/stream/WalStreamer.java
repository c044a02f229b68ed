package io.pgfleet.worker.wal.stream;

import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WalStreamSettings;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.target.TargetDatabase;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.stream.SegmentAssembler.Segment;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * Streams one target's WAL over the replication protocol into its archive, from its slot's restart
 * LSN on. A completed segment is archived (idempotently: a segment streamed again after a takeover
 * has the same bytes), its {@code .partial} removed, and only then is the slot moved past it; the
 * segment in progress is stored as {@code .partial} every {@code partialInterval}. Runs until
 * {@link #stop()}, a lost lease, or an error (the caller restarts it).
 */
final class WalStreamer {
  private static final int END_OF_TIMELINE_WAIT_SECONDS = 5;
  private final TargetDatabase target;
  private final WalStreamSettings settings;
  private final WalArchive archive;
  private final ReplicationSlot slot;
  private final BooleanSupplier owner;
  private final StreamStatus status;
  private volatile boolean stopped;
  private volatile Connection replication;

  WalStreamer(
      TargetDatabase target,
      WalStreamSettings settings,
      WalArchive archive,
      BooleanSupplier owner,
      StreamStatus status) {
    this.target = target;
    this.settings = settings;
    this.archive = archive;
    this.slot = new ReplicationSlot(settings.slotOf(target.config().name()));
    this.owner = owner;
    this.status = status;
  }

  void run() throws SQLException, ProcedureFailure, InterruptedException {
    long start;
    long segmentSize;
    try (Connection c = target.connect("wal-stream")) {
      start = slot.ensure(c);
      segmentSize = ReplicationSlot.segmentSize(c);
    }
    start -= start % segmentSize;
    while (!stopped) {
      start = streamTimeline(start, segmentSize);
    }
  }

  /**
   * Streams from {@code start} on the timeline that holds it until that timeline ends (the server
   * was promoted, or it is historic already); returns where to go on: the start of the segment in
   * progress, which the next timeline holds whole. Any other end of the stream is thrown.
   */
  private long streamTimeline(long start, long segmentSize)
      throws SQLException, InterruptedException {
    try (Connection c = replicationConnection(target.config())) {
      replication = c;
      TimelineHistory history = ServerTimelines.archive(c, archive);
      int timeline = history.timelineOf(start, segmentSize);
      SegmentAssembler segments = new SegmentAssembler(timeline, segmentSize, start);
      SQLException failure = null;
      try {
        stream(PhysicalStream.start(c, slot.name(), start, timeline), segments);
      } catch (SQLException e) {
        failure = e;
      }
      if (stopped) {
        return start;
      }
      if (!timelineEnded(timeline)) {
        throw failure != null
            ? failure
            : new SQLException(
                "the server ended the stream of timeline "
                    + timeline
                    + " at "
                    + StreamStatus.lsn(segments.position()));
      }
      Segment last = segments.inProgress();
      if (last != null) {
        requireOwner();
        archive.storePartial(
            last.name(), last.bytes()); // the old timeline's last, up to the switch
      }
      return segments.position() - segments.position() % segmentSize;
    } finally {
      replication = null;
    }
  }

  /** Whether the server has moved past {@code timeline} (asked on a new connection). */
  private boolean timelineEnded(int timeline) {
    try (Connection c = replicationConnection(target.config())) {
      return ServerTimelines.current(c) > timeline;
    } catch (SQLException e) {
      return false;
    }
  }

  private void stream(PGReplicationStream stream, SegmentAssembler segments)
      throws SQLException, InterruptedException {
    long partialEvery = settings.partialInterval().toNanos();
    long partialAt = System.nanoTime();
    long partialPosition = segments.position();
    while (!stopped && !stream.isClosed()) {
      ByteBuffer data = stream.readPending();
      if (data != null) {
        long end = stream.getLastReceiveLSN().asLong();
        for (Segment done : segments.write(end - data.remaining(), data)) {
          requireOwner();
          archive.push(done.name(), done.bytes());
          archive.deletePartial(done.name());
          LogSequenceNumber archived = LogSequenceNumber.valueOf(done.endLsn());
          stream.setFlushedLSN(archived);
          stream.setAppliedLSN(archived);
          stream.forceUpdateStatus();
          status.archived(done.name(), done.endLsn());
        }
      }
      Segment current = segments.inProgress();
      if (current != null
          && segments.position() > partialPosition
          && System.nanoTime() - partialAt >= partialEvery) {
        requireOwner();
        archive.storePartial(current.name(), current.bytes());
        partialPosition = segments.position();
        partialAt = System.nanoTime();
        status.partial(current.name(), partialPosition);
      }
      if (data == null) {
        Thread.sleep(20);
      }
    }
  }

  private void requireOwner() {
    if (!owner.getAsBoolean()) {
      stopped = true;
      throw new IllegalStateException(
          "the WAL stream of " + target.config().name() + " is no longer this worker's");
    }
  }

  /** Stops streaming: the loop ends and the replication connection closes. */
  void stop() {
    stopped = true;
    Connection c = replication;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }

  private static Connection replicationConnection(TargetConfig config) throws SQLException {
    Properties p = new Properties();
    PGProperty.USER.set(p, config.user());
    PGProperty.PASSWORD.set(p, config.password().reveal());
    PGProperty.ASSUME_MIN_SERVER_VERSION.set(p, "10");
    PGProperty.REPLICATION.set(p, "true");
    PGProperty.PREFER_QUERY_MODE.set(p, "simple");
    PGProperty.APPLICATION_NAME.set(p, "pgfleet-wal-stream");
    PGProperty.SSL_MODE.set(p, config.sslMode());
    PGProperty.CONNECT_TIMEOUT.set(p, 10);
    PGProperty.TCP_KEEP_ALIVE.set(p, true);
    // Streaming reads never block (readPending), but at the end of a timeline the server sends
    // CopyDone and PgJDBC then blocks for a reply the server sends only after the client's own
    // CopyDone: this bounds that wait, and the timeline switch is taken from there.
    PGProperty.SOCKET_TIMEOUT.set(p, END_OF_TIMELINE_WAIT_SECONDS);
    return DriverManager.getConnection(config.jdbcUrl() + config.database(), p);
  }
}
