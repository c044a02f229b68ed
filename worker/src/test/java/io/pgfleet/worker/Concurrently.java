package io.pgfleet.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Set-up steps run 8 at a time: hundreds of small uploads to the local S3, each waiting on its
 * round trip, take seconds one after another.
 */
final class Concurrently {
  private static final int THREADS = 8;

  private Concurrently() {}

  /** One step of the set-up for one item. */
  @FunctionalInterface
  interface Step<T> {
    void run(T item) throws Exception;
  }

  /** Runs {@code step} for every item, 8 at a time; returns once all are done, or one failed. */
  static <T> void forEach(Collection<T> items, Step<T> step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Void>> steps = new ArrayList<>();
      for (T item : items) {
        steps.add(
            pool.submit(
                () -> {
                  step.run(item);
                  return null;
                }));
      }
      for (Future<Void> done : steps) {
        done.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
