package io.pgfleet.worker.wal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Threads for the parts of a push that do not depend on each other (the archive lookup and the
 * sha256 beside the compression), so that one segment costs the longest part, not their sum.
 */
final class PushWork {
  private static final ExecutorService THREADS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "pgfleet-wal-push-part");
            t.setDaemon(true);
            return t;
          });

  private PushWork() {}

  static <T> CompletableFuture<T> start(Supplier<T> part) {
    return CompletableFuture.supplyAsync(part, THREADS);
  }

  /** The part's result, or its failure as thrown in the calling thread. */
  static <T> T await(CompletableFuture<T> part) {
    try {
      return part.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      part.cancel(true);
      throw new WalArchiveException("interrupted while pushing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new WalArchiveException(String.valueOf(e.getCause()), e.getCause());
    }
  }
}
