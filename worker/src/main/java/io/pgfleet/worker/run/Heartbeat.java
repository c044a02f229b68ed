package io.pgfleet.worker.run;

import io.pgfleet.worker.ledger.Lease;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.procedure.Cancellation;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a lease while its run executes. When the renewal finds the lease taken over, the run is
 * cancelled; when the ledger cannot be reached, renewal is tried again at the next beat, and the
 * lease's own expiry decides.
 */
final class Heartbeat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final ScheduledFuture<?> beat;
  private volatile boolean lost;

  Heartbeat(
      ScheduledExecutorService scheduler,
      Ledger ledger,
      Lease lease,
      Duration ttl,
      Cancellation cancellation) {
    long every = Math.max(100, ttl.dividedBy(3).toMillis());
    this.beat =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                if (!ledger.renew(lease, ttl)) {
                  lost = true;
                  cancellation.cancel("lease lost to another attempt");
                }
              } catch (RuntimeException e) {
                log.warn("cannot renew lease on {}: {}", lease.commandId(), e.getMessage());
              }
            },
            every,
            every,
            TimeUnit.MILLISECONDS);
  }

  boolean lost() {
    return lost;
  }

  @Override
  public void close() {
    beat.cancel(false);
  }
}
