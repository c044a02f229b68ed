package io.pgfleet.worker.discovery;

import io.pgfleet.runtime.metrics.Readiness;
import io.pgfleet.worker.config.DiscoverySource;
import io.pgfleet.worker.metrics.DiscoveryMetrics;
import io.pgfleet.worker.target.LiveTargets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps a worker's discovered targets in step with its discovery servers: each server is read once
 * at start, then every {@code refresh}, all on one thread (so two servers never race for a name).
 */
public final class Discovery implements AutoCloseable {
  private final List<SourceWatch> watches = new ArrayList<>();
  private final Map<String, Retirement> retired = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;

  /**
   * Reads every source now, then keeps reading them.
   *
   * @param createTopics creates the command topics of targets about to be served
   */
  public static Discovery start(
      List<DiscoverySource> sources,
      LiveTargets targets,
      Consumer<Set<String>> createTopics,
      DiscoveryMetrics metrics,
      Clock clock) {
    return new Discovery(sources, targets, createTopics, metrics, clock);
  }

  private Discovery(
      List<DiscoverySource> sources,
      LiveTargets targets,
      Consumer<Set<String>> createTopics,
      DiscoveryMetrics metrics,
      Clock clock) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pgfleet-discovery");
              t.setDaemon(true);
              return t;
            });
    for (DiscoverySource source : sources) {
      SourceWatch watch = new SourceWatch(source, targets, createTopics, retired, metrics, clock);
      watches.add(watch);
      watch.refresh();
      long every = source.refresh().toMillis();
      timer.scheduleWithFixedDelay(watch::refreshSafely, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Discovered targets retired since the worker started, by name (until served again). */
  public Map<String, Retirement> retired() {
    return Map.copyOf(retired);
  }

  /** Readiness: not ready while a server's databases cannot be read. */
  public void check() throws Readiness.NotReady {
    StringBuilder why = new StringBuilder();
    for (SourceWatch watch : watches) {
      if (watch.failure() != null) {
        why.append(watch.name()).append(": ").append(watch.failure()).append("; ");
      }
    }
    if (!why.isEmpty()) {
      throw new Readiness.NotReady(why.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
