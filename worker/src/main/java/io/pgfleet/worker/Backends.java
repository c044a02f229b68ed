package io.pgfleet.worker;

import io.pgfleet.runtime.Topology;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.storage.ArtifactStore;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a worker checks and opens before it consumes, side by side rather than one after the other
 * (each waits on its own server, and on loading its client's classes): the command topics, the
 * ledger with its migrations, the S3 bucket. Each still fails the start on its own: the first
 * failure in that order is thrown once all three ended, and whatever did open is closed.
 */
record Backends(Ledger ledger, ArtifactStore store) {

  /** Opens the three; the ledger and store are added to {@code resources} in that order. */
  static Backends open(WorkerConfig config, List<AutoCloseable> resources) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            3,
            r -> {
              Thread t = new Thread(r, "pgfleet-start-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    try {
      Future<?> topics =
          pool.submit(() -> Topology.ensure(config.kafka(), config.targets().keySet()));
      Future<Ledger> ledger = pool.submit(() -> Ledger.open(config.ledger()));
      Future<ArtifactStore> store = pool.submit(() -> bucket(config));
      RuntimeException failure = outcome(topics, null);
      failure = outcome(ledger, failure);
      failure = outcome(store, failure);
      if (failure != null) {
        closeOpened(ledger);
        closeOpened(store);
        throw failure;
      }
      resources.add(ledger.get());
      resources.add(store.get());
      return new Backends(ledger.get(), store.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the worker started", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause()); // not reached: outcome() saw every failure
    } finally {
      pool.shutdown();
    }
  }

  private static ArtifactStore bucket(WorkerConfig config) {
    ArtifactStore store = ArtifactStore.connect(config.storage());
    try {
      store.requireBucket();
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Waits for {@code step}; returns the earlier failure, else this step's, else null. */
  private static RuntimeException outcome(Future<?> step, RuntimeException earlier)
      throws InterruptedException {
    try {
      step.get();
      return earlier;
    } catch (ExecutionException e) {
      if (earlier != null) {
        return earlier;
      }
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        return r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      return new IllegalStateException(cause);
    }
  }

  private static void closeOpened(Future<? extends AutoCloseable> step) {
    try {
      step.get().close();
    } catch (Exception ignored) {
      // it failed to open (its own failure is reported, or an earlier one is) or to close
    }
  }
}
