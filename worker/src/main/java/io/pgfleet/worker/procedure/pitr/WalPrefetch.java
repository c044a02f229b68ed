package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Fetches the archive's complete WAL segments ahead of recovery into a spool directory, so that
 * restore_command copies a local file instead of starting a JVM per segment (pgBackRest's
 * archive-get async, WAL-G's prefetch). Files appear in the spool complete and readable or not at
 * all (written under a dot name, then renamed); a segment not there yet and a history file are
 * asked of the worker ({@link WalRequests}), which answers exactly as {@code wal-fetch} would. At
 * most {@link #AHEAD} segments wait in the spool; a file restore_command took frees a place, and
 * files of segments recovery has passed (another timeline's) are removed.
 */
final class WalPrefetch implements AutoCloseable {
  static final String SPOOL = "pgfleet-wal-prefetch";
  static final int AHEAD = 8;
  private static final int DOWNLOADS = 2;
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./-]+");

  private final WalArchive archive;
  private final Path spool;
  private final String fromPosition;
  private final Semaphore places = new Semaphore(AHEAD);

  /** Segments given a place: false while downloading, true once in the spool. */
  private final Map<String, Boolean> waiting = new ConcurrentHashMap<>();

  private final ExecutorService downloads = Executors.newFixedThreadPool(DOWNLOADS, daemon());
  private final Thread coordinator;
  private WalRequests requests;
  private final AtomicInteger fetched = new AtomicInteger();
  private final AtomicInteger served = new AtomicInteger();
  private volatile boolean stopped;

  private WalPrefetch(WalArchive archive, Path spool, String fromSegment) {
    this.archive = archive;
    this.spool = spool;
    this.fromPosition = fromSegment.substring(8);
    this.coordinator = new Thread(this::run, "pgfleet-wal-prefetch");
    coordinator.setDaemon(true);
  }

  /**
   * Creates the spool inside {@code dataDir}: before the directory is handed to the server's OS
   * user, so that restore_command may remove the files it took. None when restore_command could not
   * name it as a plain shell word (letters, digits, _ . / -): recovery then fetches every file with
   * wal-fetch, and {@link #start} fetches nothing ahead.
   */
  static Optional<Path> createSpool(Path dataDir) throws IOException {
    Path spool = dataDir.resolve(SPOOL);
    if (!PLAIN.matcher(spool.toString()).matches()) {
      return Optional.empty();
    }
    return Optional.of(Files.createDirectories(spool));
  }

  /**
   * Starts fetching the segments from {@code fromSegment}'s position on into {@code spool}; without
   * a spool, returns a prefetch that fetches nothing.
   */
  static WalPrefetch start(WalArchive archive, Optional<Path> spool, String fromSegment)
      throws IOException {
    WalPrefetch prefetch = new WalPrefetch(archive, spool.orElse(null), fromSegment);
    if (spool.isPresent()) {
      Files.createDirectories(spool.get());
      prefetch.requests = WalRequests.start(archive, spool.get());
      prefetch.coordinator.start();
    }
    return prefetch;
  }

  /** Whether it is fetching ahead: never without a spool, so it never fetches anything then. */
  boolean started() {
    return coordinator.getState() != Thread.State.NEW;
  }

  /** Segments fetched into the spool so far. */
  int fetched() {
    return fetched.get();
  }

  /** Spool files restore_command took (copied and removed). */
  int served() {
    return served.get();
  }

  /** restore_command's requests the worker answered from the archive, without wal-fetch. */
  int answered() {
    return requests == null ? 0 : requests.answered();
  }

  private void run() {
    Set<String> seen = new HashSet<>();
    try {
      while (!stopped) {
        List<WalFileName> next = new ArrayList<>();
        for (WalFileName f : archive.list()) {
          String v = f.value();
          if (f.isSegment() && v.substring(8).compareTo(fromPosition) >= 0 && seen.add(v)) {
            next.add(f);
          }
        }
        next.sort(Comparator.comparing((WalFileName f) -> f.value().substring(8)));
        for (WalFileName name : next) {
          while (!stopped && !places.tryAcquire(50, TimeUnit.MILLISECONDS)) {
            collect();
          }
          if (stopped) {
            return;
          }
          waiting.put(name.value(), false);
          downloads.execute(() -> download(name));
        }
        for (int i = 0; i < 20 && !stopped; i++) {
          collect();
          Thread.sleep(50);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // the archive could not be listed: restore_command fetches every file itself
      stopped = true;
    }
  }

  private void download(WalFileName name) {
    Path hidden = spool.resolve("." + name.value());
    try {
      if (!stopped && archive.fetch(name, hidden)) {
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rw-r--r--"));
        waiting.put(name.value(), true);
        Files.move(hidden, spool.resolve(name.value()), StandardCopyOption.ATOMIC_MOVE);
        fetched.incrementAndGet();
        return;
      }
    } catch (IOException | RuntimeException e) {
      // left to restore_command's own wal-fetch, which reports what is wrong
    }
    release(name.value());
  }

  /**
   * Frees the places of files restore_command took, and drops waiting files of segments before the
   * newest one it took: recovery has passed them (they belong to another timeline).
   */
  private void collect() {
    String newestTaken = null;
    for (String name : List.copyOf(waiting.keySet())) {
      if (downloaded(name) && !Files.exists(spool.resolve(name))) {
        served.incrementAndGet();
        release(name);
        if (newestTaken == null || name.substring(8).compareTo(newestTaken) > 0) {
          newestTaken = name.substring(8);
        }
      }
    }
    if (newestTaken == null) {
      return;
    }
    for (String name : List.copyOf(waiting.keySet())) {
      if (downloaded(name) && name.substring(8).compareTo(newestTaken) < 0) {
        try {
          Files.deleteIfExists(spool.resolve(name));
          release(name);
        } catch (IOException e) {
          // removed with the spool at the end
        }
      }
    }
  }

  private boolean downloaded(String name) {
    return Boolean.TRUE.equals(waiting.get(name)) && !Files.exists(spool.resolve("." + name));
  }

  private void release(String name) {
    if (waiting.remove(name) != null) {
      places.release();
    }
  }

  /** Stops fetching and removes the spool with whatever it still holds. */
  @Override
  public void close() throws InterruptedException {
    if (requests != null) {
      requests.close();
    }
    stopped = true;
    coordinator.interrupt();
    coordinator.join(10_000);
    downloads.shutdownNow();
    downloads.awaitTermination(30, TimeUnit.SECONDS);
    if (spool == null) {
      return;
    }
    try (var files = Files.list(spool)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(spool);
    } catch (IOException e) {
      // the data directory keeps a few spare files; nothing reads them
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "pgfleet-wal-prefetch-download");
      t.setDaemon(true);
      return t;
    };
  }
}
