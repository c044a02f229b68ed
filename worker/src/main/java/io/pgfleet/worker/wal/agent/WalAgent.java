package io.pgfleet.worker.wal.agent;

import io.pgfleet.worker.wal.ReadyFiles;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import io.pgfleet.worker.wal.WalSegmentSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The resident half of archive_command (pgBackRest's archive-push-async): pushes every file
 * PostgreSQL marks ready in {@code pg_wal/archive_status} to the {@link WalArchive} as soon as it
 * appears, {@code jobs} at a time, and marks it {@code .ok} in the {@link AgentSpool} only once it
 * is stored. {@code pgfleet-wal-push}, the archive_command, only waits for that marker. A failed
 * push is marked {@code .error} (archive_command fails, PostgreSQL retries) and tried again after a
 * backoff that doubles up to {@link #MAX_BACKOFF}.
 */
public final class WalAgent implements AutoCloseable {
  static final Duration BEAT = Duration.ofSeconds(1);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final WalArchive archive;
  private final Path pgWal;
  private final AgentSpool spool;
  private final Consumer<String> log;
  private final ExecutorService pushes;
  private final ScheduledExecutorService clock =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "wal-agent-clock"));
  private final Set<WalFileName> inFlight = ConcurrentHashMap.newKeySet();
  private final Map<WalFileName, Retry> retries = new ConcurrentHashMap<>();
  private ReadyWatch watch;
  private SpoolLock served;

  private record Retry(long atNanos, Duration backoff) {}

  public WalAgent(
      WalArchive archive, Path pgWal, AgentSpool spool, int jobs, Consumer<String> log) {
    this.archive = archive;
    this.pgWal = pgWal;
    this.spool = spool;
    this.log = log;
    this.pushes = Executors.newFixedThreadPool(jobs, r -> daemon(r, "wal-agent-push"));
  }

  /**
   * Starts pushing, once no other agent serves the spool (else a {@link
   * io.pgfleet.runtime.config.ConfigException}): forgets the markers of an earlier run (each ready
   * file is looked up again: a file already archived with the same content costs a HEAD), then
   * reacts to every new ready file and looks again every second.
   */
  public void start() {
    served = spool.serve();
    spool.keepOnly(List.of());
    spool.beat();
    watch = ReadyWatch.start(pgWal.resolve("archive_status"), this::scan, log);
    clock.scheduleWithFixedDelay(this::tick, 0, BEAT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      spool.beat();
      scan();
    } catch (RuntimeException e) {
      log.accept("wal-agent: " + e.getMessage());
    }
  }

  /** Starts a push for every ready file not archived, not being pushed and not backing off. */
  synchronized void scan() {
    List<WalFileName> ready =
        ReadyFiles.in(pgWal).stream()
            .sorted(
                Comparator.comparing((WalFileName n) -> !n.value().endsWith(".history"))
                    .thenComparing(WalFileName::value))
            .toList();
    spool.keepOnly(ready);
    retries.keySet().retainAll(ready);
    long now = System.nanoTime();
    for (WalFileName name : ready) {
      Retry retry = retries.get(name);
      if (spool.isMarked(name) || (retry != null && now - retry.atNanos() < 0)) {
        continue;
      }
      if (inFlight.add(name)) {
        pushes.execute(() -> push(name));
      }
    }
  }

  private void push(WalFileName name) {
    try {
      WalSegmentSize.check(pgWal.resolve(name.value()));
      archive.push(pgWal.resolve(name.value()));
      spool.markArchived(name);
      retries.remove(name);
    } catch (Exception | Error e) {
      // an Error too: without a .error marker pgfleet-wal-push would wait its whole timeout
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      Retry last = retries.get(name);
      Duration backoff =
          last == null ? FIRST_BACKOFF : min(last.backoff().multipliedBy(2), MAX_BACKOFF);
      retries.put(name, new Retry(System.nanoTime() + backoff.toNanos(), backoff));
      log.accept(
          "wal-agent: " + name + " not archived, trying again in " + backoff + ": " + reason);
      try {
        spool.markFailed(name, reason);
      } catch (RuntimeException markFailed) {
        log.accept("wal-agent: " + markFailed.getMessage());
      }
    } finally {
      inFlight.remove(name);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops pushing; archive_command fails at once from now on instead of waiting. */
  @Override
  public void close() {
    clock.shutdownNow();
    if (watch != null) {
      watch.close();
    }
    pushes.shutdownNow();
    try {
      pushes.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (served != null) { // a refused agent leaves the serving one's heartbeat alone
      spool.stopped();
      served.close();
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
