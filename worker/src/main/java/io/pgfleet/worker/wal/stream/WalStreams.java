package io.pgfleet.worker.wal.stream;

import io.pgfleet.worker.config.WalStreamSettings;
import io.pgfleet.worker.ledger.StreamLeases;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.target.TargetDatabase;
import io.pgfleet.worker.wal.WalArchive;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAL streams this worker holds. Every third of the lease TTL it renews the leases of its
 * streams and takes any stream of its targets nobody holds (free, or its holder's lease expired: a
 * dead worker's streams move within the TTL). A stream whose lease cannot be renewed is stopped
 * before the lease runs out, so two workers never stream one target; the server refuses a second
 * connection on the slot besides. A target whose {@code pitr.stream.enabled} is false leaves
 * streaming: its slot is dropped and its lease forgotten.
 */
public final class WalStreams implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WalStreams.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final String worker;
  private final Map<String, TargetDatabase> targets;
  private final StreamLeases leases;
  private final Artifacts store;
  private final Duration ttl;
  private final WorkerMetrics metrics;
  private final Map<String, HeldStream> owned = new ConcurrentHashMap<>();
  private final Set<String> retired = ConcurrentHashMap.newKeySet();
  private boolean closed; // guarded by this
  private final ScheduledExecutorService ticks =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pgfleet-wal-streams");
            t.setDaemon(true);
            return t;
          });

  private WalStreams(
      String worker,
      Map<String, TargetDatabase> targets,
      StreamLeases leases,
      Artifacts store,
      Duration ttl,
      WorkerMetrics metrics) {
    this.worker = worker;
    this.targets = targets;
    this.leases = leases;
    this.store = store;
    this.ttl = ttl;
    this.metrics = metrics;
  }

  /** Starts looking after the streams of those {@code targets} configured for streaming. */
  public static WalStreams start(
      String worker,
      Map<String, TargetDatabase> targets,
      StreamLeases leases,
      Artifacts store,
      Duration ttl,
      WorkerMetrics metrics) {
    Map<String, TargetDatabase> streamed = new LinkedHashMap<>();
    targets.forEach(
        (name, db) -> {
          if (db.config().pitr().stream() != null) {
            streamed.put(name, db);
          }
        });
    WalStreams streams = new WalStreams(worker, streamed, leases, store, ttl, metrics);
    if (!streamed.isEmpty()) {
      long every = Math.max(100, ttl.toMillis() / 3);
      streams.ticks.scheduleWithFixedDelay(streams::tick, 0, every, TimeUnit.MILLISECONDS);
    }
    return streams;
  }

  /** The targets whose WAL this worker streams now. */
  public Set<String> streaming() {
    return Set.copyOf(owned.keySet());
  }

  private void tick() {
    synchronized (this) {
      if (!closed) {
        tickTargets();
      }
    }
  }

  private void tickTargets() {
    targets.forEach(
        (name, db) -> {
          WalStreamSettings settings = db.config().pitr().stream();
          try {
            if (settings.enabled()) {
              keep(name, db, settings);
            } else {
              retire(name, db, settings);
            }
          } catch (RuntimeException e) {
            log.warn("WAL stream of {}: {}", name, db.redact(String.valueOf(e.getMessage())));
          }
        });
  }

  private void keep(String name, TargetDatabase db, WalStreamSettings settings) {
    HeldStream mine = owned.get(name);
    if (mine != null && (mine.ended() || System.nanoTime() > mine.validUntil)) {
      owned.remove(name);
      mine.stop();
      leases.release(name, worker, mine.epoch);
      return; // taken again on a later tick, by this worker or another
    }
    if (mine != null) {
      long asked = System.nanoTime();
      if (leases.renew(name, worker, mine.epoch, ttl, mine.status.archivedLsn())) {
        mine.validUntil = asked + ttl.toNanos();
        reportSlot(name, db, mine.slot);
      } else {
        owned.remove(name);
        mine.stop();
        log.warn("WAL stream of {}: lease lost, stopped", name);
      }
      return;
    }
    // Valid from before the ask, as renewals are: the ledger's expiry may start the moment it
    // grants, and this worker must not believe it owns the stream any longer than the ledger does.
    long asked = System.nanoTime();
    OptionalLong epoch = leases.take(name, settings.slotOf(name), worker, ttl);
    if (epoch.isPresent()) {
      HeldStream stream = new HeldStream(name, epoch.getAsLong(), asked + ttl.toNanos());
      stream.slot = new ReplicationSlot(settings.slotOf(name));
      stream.streamer =
          new WalStreamer(db, settings, new WalArchive(store, name), stream::valid, stream.status);
      owned.put(name, stream);
      stream.start(db);
      log.info("streaming the WAL of {} (lease epoch {})", name, epoch.getAsLong());
    }
  }

  private void retire(String name, TargetDatabase db, WalStreamSettings settings) {
    if (retired.contains(name)) {
      return;
    }
    OptionalLong epoch = leases.take(name, settings.slotOf(name), worker, ttl);
    if (epoch.isEmpty()) {
      return; // another worker still streams it (an older config) or retires it now
    }
    try (Connection c = db.connect("wal-stream")) {
      boolean dropped = new ReplicationSlot(settings.slotOf(name)).drop(c);
      leases.remove(name, worker, epoch.getAsLong());
      retired.add(name);
      metrics.slotRetained(name, -1);
      log.info(
          "{} left WAL streaming: slot {} {}",
          name,
          settings.slotOf(name),
          dropped ? "dropped" : "was already gone");
    } catch (Exception e) {
      leases.release(name, worker, epoch.getAsLong());
      throw new IllegalStateException(
          "cannot drop slot " + settings.slotOf(name) + ": " + e.getMessage(), e);
    }
  }

  private void reportSlot(String name, TargetDatabase db, ReplicationSlot slot) {
    try (Connection c = db.connect("wal-stream")) {
      slot.retainedBytes(c).ifPresent(bytes -> metrics.slotRetained(name, bytes));
    } catch (Exception e) {
      log.debug("cannot read slot {} of {}: {}", slot.name(), name, e.getMessage());
    }
  }

  /**
   * Stops every stream and releases its lease. A tick in progress finishes first (ticks hold this
   * object's lock, and no new tick starts after shutdown), so a stream it starts is stopped too
   * rather than left running with no one to renew or stop it. Each stream thread is joined
   * (bounded) before its lease goes, so no archive write follows the release.
   */
  @Override
  public void close() {
    ticks.shutdown();
    synchronized (this) {
      closed = true;
      owned.values().forEach(HeldStream::stop);
      owned.forEach(
          (name, stream) -> {
            stream.join(STOP_WAIT);
            try {
              leases.release(name, worker, stream.epoch);
            } catch (RuntimeException e) {
              log.debug("cannot release the WAL stream of {}: {}", name, e.getMessage());
            }
          });
      owned.clear();
    }
  }
}
