package io.pgfleet.worker;

import io.pgfleet.runtime.Topology;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.storage.ArtifactStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a worker checks and opens before it consumes, side by side rather than one after the other
 * (each waits on its own server, and on loading its client's classes): the command topics, the
 * ledger with its migrations, the S3 bucket. Each still fails the start on its own: the first
 * failure in that order is thrown once all three ended. Whatever opened is closed unless the start
 * got it: after a failure, an {@link Error}, or an interrupt (then as soon as it has opened).
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
    CompletableFuture<Void> topics =
        CompletableFuture.runAsync(
            () -> Topology.ensure(config.kafka(), config.targets().keySet()), pool);
    CompletableFuture<Ledger> ledger =
        CompletableFuture.supplyAsync(() -> Ledger.open(config.ledger()), pool);
    CompletableFuture<ArtifactStore> store =
        CompletableFuture.supplyAsync(() -> bucket(config), pool);
    boolean handedOver = false;
    try {
      try {
        CompletableFuture.allOf(topics, ledger, store).get();
      } catch (ExecutionException e) {
        // each step's own failure is looked at below, in order
      }
      for (CompletableFuture<?> step : List.of(topics, ledger, store)) {
        Throwable failure = step.handle((value, t) -> t).join();
        if (failure != null) {
          throw unchecked(failure);
        }
      }
      resources.add(ledger.join());
      resources.add(store.join());
      handedOver = true;
      return new Backends(ledger.join(), store.join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the worker started", e);
    } finally {
      if (!handedOver) {
        closeWhenOpened(ledger);
        closeWhenOpened(store);
      }
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

  private static RuntimeException unchecked(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof Error err) {
      throw err;
    }
    return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
  }

  /**
   * Closes what {@code step} opened, once it has, on a thread of its own: nobody else will, and the
   * starting thread may carry an interrupt, which makes Hikari abandon its close.
   */
  private static void closeWhenOpened(CompletableFuture<? extends AutoCloseable> step) {
    step.thenAcceptAsync(
        opened -> {
          try {
            opened.close();
          } catch (Exception ignored) {
            // closing a half-used client: nothing else to do with it
          }
        });
  }
}
