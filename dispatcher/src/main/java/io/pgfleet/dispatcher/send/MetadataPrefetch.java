package io.pgfleet.dispatcher.send;

import io.pgfleet.commands.publish.CommandPublisher;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches the producer's metadata for many target topics at once. A producer's send blocks until it
 * knows its topic, so a firing for 1,000 targets the producer has not sent to yet (or not for
 * longer than its {@code metadata.max.idle.ms}) would wait for 1,000 metadata requests one after
 * the other. Asked from many threads at once, the producer puts every topic asked for meanwhile
 * into its next request: a few requests for the lot.
 */
final class MetadataPrefetch {
  private static final int THREADS = 100;

  /** How long a firing waits for the prefetch; a topic still unknown then is left to the send. */
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final CommandPublisher publisher;
  private final ThreadPoolExecutor pool;

  MetadataPrefetch(CommandPublisher publisher) {
    this.publisher = publisher;
    this.pool =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "pgfleet-metadata-prefetch");
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
  }

  /** Starts fetching the metadata of every target's topic; failures are left to the sends. */
  CompletableFuture<Void> start(Collection<String> targets) {
    return CompletableFuture.allOf(
        targets.stream()
            .distinct()
            .map(
                target ->
                    CompletableFuture.runAsync(() -> publisher.awaitMetadata(target), pool)
                        .exceptionally(e -> null))
            .toArray(CompletableFuture[]::new));
  }

  /** Fetches the metadata of every target's topic, waiting at most {@link #WAIT}. */
  void await(Collection<String> targets) {
    try {
      start(targets).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the sends wait for what is still missing, as they would have without the prefetch
    }
  }
}
