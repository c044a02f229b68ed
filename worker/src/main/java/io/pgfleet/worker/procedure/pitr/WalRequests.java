package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * restore_command's requests for files the prefetch spool does not hold (history-file probes, a
 * segment read again, the probe past the end of the archive), answered by the worker that watches
 * the recovery instead of by a wal-fetch JVM each. restore_command creates {@code
 * <spool>/<name>.ask.XXXXXX} and waits; the worker reads the archive only after it has seen the
 * request, so each answer is what wal-fetch would have answered then ({@link WalArchive#fetch}):
 * {@code <ask>.got}, the file as archived and checked, or a segment's {@code .partial} when only
 * that is archived (exit 0), or {@code <ask>.none}, neither is archived (exit 1). An invalid name
 * and a failed read (a corrupt file, a store that fails) are answered {@code <ask>.defer}:
 * restore_command runs wal-fetch, which serves it or stops recovery (exit 126) exactly as without a
 * worker. {@link #ANSWERING} exists while requests are answered, and the worker renews its
 * modification time every second: restore_command asks only while it is younger than {@link
 * #ALIVE_SECONDS}, so a worker killed mid-recovery (its marker left behind) costs the requests of
 * those seconds a wait each, not every request after it.
 */
final class WalRequests implements AutoCloseable {
  static final String ANSWERING = ".answering";

  /** How old the marker may be for restore_command to take the worker as alive. */
  static final int ALIVE_SECONDS = 10;

  private static final long RENEW_MS = 1_000;
  private static final Pattern ASK = Pattern.compile("([0-9A-Za-z.]+)\\.ask\\.[0-9A-Za-z]{6}");
  private static final long POLL_MS = 20;

  private final WalArchive archive;
  private final Path spool;
  private final Thread thread;
  private final Set<String> answered = new HashSet<>();
  private final AtomicInteger fromArchive = new AtomicInteger();
  private volatile boolean stopped;

  private WalRequests(WalArchive archive, Path spool) {
    this.archive = archive;
    this.spool = spool;
    this.thread = new Thread(this::run, "pgfleet-wal-requests");
    thread.setDaemon(true);
  }

  /** Marks the spool as answered and starts answering its requests. */
  static WalRequests start(WalArchive archive, Path spool) throws IOException {
    WalRequests requests = new WalRequests(archive, spool);
    Files.deleteIfExists(spool.resolve(ANSWERING));
    Files.createFile(spool.resolve(ANSWERING));
    requests.thread.start();
    return requests;
  }

  /** Requests answered {@code got} or {@code none}: each a wal-fetch JVM recovery did not start. */
  int answered() {
    return fromArchive.get();
  }

  private void run() {
    try {
      long renewed = System.nanoTime();
      while (!stopped) {
        if (System.nanoTime() - renewed >= RENEW_MS * 1_000_000) {
          renewed = System.nanoTime();
          renew();
        }
        Set<String> asked = new HashSet<>();
        try (var files = Files.list(spool)) {
          files.map(p -> p.getFileName().toString()).forEach(asked::add);
        } catch (IOException e) {
          return; // the spool is gone: restore_command finds no ANSWERING and runs wal-fetch
        }
        answered.retainAll(asked);
        for (String file : asked) {
          Matcher ask = ASK.matcher(file);
          if (!stopped && ask.matches() && answered.add(file)) {
            answer(file, ask.group(1));
          }
        }
        Thread.sleep(POLL_MS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void renew() {
    try {
      Files.setLastModifiedTime(spool.resolve(ANSWERING), FileTime.from(Instant.now()));
    } catch (IOException e) {
      // closed or spool gone: restore_command stops asking once the marker is old or missing
    }
  }

  private void answer(String ask, String name) {
    String kind;
    try {
      kind = WalFileName.isValid(name) ? fetch(new WalFileName(name), ask) : "defer";
    } catch (IOException | RuntimeException e) {
      kind = "defer"; // wal-fetch reads it again and reports what is wrong
    }
    try {
      if (!kind.equals("got")) {
        Files.createFile(spool.resolve(ask + "." + kind));
      }
      if (!Files.exists(spool.resolve(ask))) {
        // restore_command gave up waiting and ran wal-fetch: nobody takes this answer
        Files.deleteIfExists(spool.resolve(ask + "." + kind));
      }
    } catch (IOException e) {
      // no answer: restore_command runs wal-fetch once it has waited
    }
  }

  private String fetch(WalFileName name, String ask) throws IOException {
    Path hidden = spool.resolve("." + ask + ".got");
    try {
      if (archive.fetch(name, hidden)) {
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(hidden, spool.resolve(ask + ".got"), StandardCopyOption.ATOMIC_MOVE);
        fromArchive.incrementAndGet();
        return "got";
      }
    } finally {
      Files.deleteIfExists(hidden); // left only by a read or a move that failed
    }
    fromArchive.incrementAndGet();
    return "none";
  }

  /**
   * Stops answering: {@link #ANSWERING} goes first, so a restore_command waiting from then on runs
   * wal-fetch instead.
   */
  @Override
  public void close() throws InterruptedException {
    try {
      Files.deleteIfExists(spool.resolve(ANSWERING));
    } catch (IOException e) {
      // the thread stops anyway; a waiting restore_command runs wal-fetch after its wait
    }
    stopped = true;
    thread.interrupt();
    thread.join(10_000);
  }
}
