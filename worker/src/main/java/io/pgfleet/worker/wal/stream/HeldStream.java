package io.pgfleet.worker.wal.stream;

import io.pgfleet.worker.target.TargetDatabase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One stream this worker holds: its lease and the thread that streams. */
final class HeldStream {
  private static final Logger log = LoggerFactory.getLogger(WalStreams.class);

  final String target;
  final long epoch;
  final StreamStatus status = new StreamStatus();
  volatile long validUntil;
  volatile boolean ended;
  ReplicationSlot slot;
  WalStreamer streamer;
  Thread thread;

  HeldStream(String target, long epoch, long validUntil) {
    this.target = target;
    this.epoch = epoch;
    this.validUntil = validUntil;
  }

  boolean valid() {
    return !ended && System.nanoTime() < validUntil;
  }

  boolean ended() {
    return ended;
  }

  void start(TargetDatabase db) {
    thread =
        new Thread(
            () -> {
              try {
                streamer.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                log.warn(
                    "WAL stream of {} stopped: {}",
                    target,
                    db.redact(String.valueOf(e.getMessage())));
              } finally {
                ended = true;
              }
            },
            "pgfleet-wal-stream-" + target);
    thread.setDaemon(true);
    thread.start();
  }

  void join(Duration bound) {
    if (thread == null) {
      return;
    }
    try {
      thread.join(bound.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("WAL stream of {} did not stop within {}", target, bound);
    }
  }

  void stop() {
    if (streamer != null) {
      streamer.stop();
    }
    if (thread != null) {
      thread.interrupt();
    }
  }
}
