package io.pgfleet.worker.metrics;

import io.pgfleet.worker.procedure.basebackup.RecoverableWindows;
import io.pgfleet.worker.storage.ArtifactStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the recoverable-window gauges current. WAL reaches the archive through {@code wal-push}
 * processes the worker never sees, so the window's end is read from the store on a timer (a listing
 * of each target's base/ and wal/ prefixes) rather than from runs.
 */
public final class RecoverableWindowWatch implements AutoCloseable {
  public static final Duration INTERVAL = Duration.ofMinutes(1);
  private static final Logger log = LoggerFactory.getLogger(RecoverableWindowWatch.class);

  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pgfleet-recoverable-window");
            t.setDaemon(true);
            return t;
          });

  public RecoverableWindowWatch(
      ArtifactStore store, List<String> targets, WorkerMetrics metrics, Duration interval) {
    timer.scheduleWithFixedDelay(
        () -> targets.forEach(t -> refresh(store, t, metrics)),
        0,
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static void refresh(ArtifactStore store, String target, WorkerMetrics metrics) {
    try {
      RecoverableWindows.of(store, target).ifPresent(w -> metrics.recoverableWindow(target, w));
    } catch (RuntimeException e) {
      // the gauges keep their last value; the storage readiness check reports the outage
      log.debug("cannot read the recoverable window of {}: {}", target, e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
