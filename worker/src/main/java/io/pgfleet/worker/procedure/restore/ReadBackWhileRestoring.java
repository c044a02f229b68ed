package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.archive.RowHash;
import io.pgfleet.worker.archive.TableDigest;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.target.PgTools;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the restored tables back while pg_restore is still loading later ones and building indexes:
 * each table pg_restore reports committed ({@link RestoreProgress}; with {@code --jobs}, committed
 * and constrained: {@link ParallelRestoreProgress}) is queued, and one thread reads the queue with
 * one pg_dump per table ({@code --table}), exactly as {@link RestoredContent} does: pg_dump holds
 * its ACCESS SHARE locks until it exits, so reading one table at a time keeps pg_restore's PRIMARY
 * KEY build of another table (ACCESS EXCLUSIVE) from waiting on it; and once pg_restore has begun
 * its indexes and constraints, a table is read only after its constraints. Once pg_restore has
 * finished, one more pg_dump reads everything not yet claimed ({@code --exclude-table} of the
 * claimed, so a table the manifest does not know still shows up), side by side with a batch still
 * running; a batch that failed (a catalog changing under pg_dump, say) is read again then. Every
 * table is hashed exactly once, from a committed load. A large table is read in parts on several
 * connections instead of by pg_dump ({@link LargeTableReads}): its read no longer runs on one core
 * while the others sit idle after pg_restore.
 */
final class ReadBackWhileRestoring implements AutoCloseable {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ReadBackWhileRestoring.class);

  private final PgTools.Tool pgDump;
  private final Map<String, String> libpq;
  private final LargeTableReads large;
  private final Manifest manifest;
  private final String encoding;
  private final RowHash rowHash;
  private final KnownTables known;
  private final Cancellation early = new Cancellation();
  private final Object lock = new Object();
  private final List<Manifest.TableCount> ready = new ArrayList<>();
  private final Set<Manifest.TableCount> claimed = new LinkedHashSet<>();
  private final List<Manifest.TableCount> failed = new ArrayList<>();
  private final Set<Manifest.TableCount> constrained = new HashSet<>();
  private boolean postData;
  private final Map<String, TableDigest.Content> content = new TreeMap<>();
  private boolean closed;
  private final Thread reader;

  ReadBackWhileRestoring(
      PgTools.Tool pgDump,
      Map<String, String> libpq,
      LargeTableReads large,
      Manifest manifest,
      Cancellation drill) {
    this.pgDump = pgDump;
    this.libpq = libpq;
    this.large = large;
    this.manifest = manifest;
    this.encoding = manifest.archive().encoding();
    this.rowHash = RestoredContent.rowHash(manifest);
    this.known = new KnownTables(manifest);
    drill.onCancel(() -> early.cancel("the drill was cancelled"));
    this.reader = new Thread(this::readBatches, "drill-read-back-early");
    reader.setDaemon(true);
    reader.start();
  }

  /** What pg_restore reports: its output lines go here, committed tables to the queue. */
  RestoreProgress progress() {
    return new RestoreProgress(this::committed, this::constrained, this::postDataBegan);
  }

  /**
   * What a parallel pg_restore ({@code --jobs}) reports: each table is queued once its data and its
   * constraints are in ({@link ParallelRestoreProgress}), and read while other jobs still run.
   *
   * @param listing {@code pg_restore --list} of the archive being restored
   */
  ParallelRestoreProgress parallelProgress(String listing) {
    return new ParallelRestoreProgress(listing, manifest.tables(), this::committed);
  }

  /** {@code schema.table name} as pg_restore prints a constraint ({@link KnownTables}). */
  private void constrained(String printed) {
    Manifest.TableCount table = known.ofConstraint(printed);
    if (table != null) {
      synchronized (lock) {
        constrained.add(table);
        lock.notifyAll();
      }
    }
  }

  private void postDataBegan() {
    synchronized (lock) {
      postData = true;
      lock.notifyAll();
    }
  }

  /**
   * The next table to read: any committed one while pg_restore loads data; once it builds indexes
   * and constraints, only one whose constraints it has created (a PRIMARY KEY build waits for every
   * reader of its table), the others after pg_restore.
   */
  private Manifest.TableCount next() {
    for (Manifest.TableCount t : ready) {
      if (!postData || constrained.contains(t)) {
        return t;
      }
    }
    return null;
  }

  private void committed(String name) {
    Manifest.TableCount table = known.named(name);
    if (table == null) {
      return; // unknown, or ambiguous as printed: the last pass reads it
    }
    synchronized (lock) {
      if (!closed && !claimed.contains(table)) {
        ready.add(table);
        lock.notifyAll();
      }
    }
  }

  private void readBatches() {
    while (true) {
      List<Manifest.TableCount> batch;
      synchronized (lock) {
        Manifest.TableCount next;
        while ((next = next()) == null && !closed) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        ready.remove(next);
        batch = List.of(next);
        claimed.addAll(batch);
      }
      Map<String, TableDigest.Content> got = null;
      try {
        got = read(batch, false, early);
      } catch (ProcedureFailure | InterruptedException | RuntimeException e) {
        log.debug("reading {} table(s) back early failed, read again later: {}", batch.size(), e);
      }
      synchronized (lock) {
        for (Manifest.TableCount t : batch) {
          TableDigest.Content c = got == null ? null : got.get(t.key());
          if (c != null) {
            content.put(t.key(), c);
          } else {
            failed.add(t);
          }
        }
      }
    }
  }

  /**
   * One table's content: a large one read in parts ({@link LargeTableReads}), any other (or a large
   * one that cannot be read so, or whose read in parts failed: a lock it would not wait for, a lost
   * connection) by pg_dump.
   */
  private Map<String, TableDigest.Content> read(
      List<Manifest.TableCount> tables, boolean restoreOver, Cancellation cancellation)
      throws ProcedureFailure, InterruptedException {
    Map<String, TableDigest.Content> got = new TreeMap<>();
    List<Manifest.TableCount> byPgDump = new ArrayList<>();
    for (Manifest.TableCount t : tables) {
      java.util.Optional<TableDigest.Content> parts = java.util.Optional.empty();
      if (large.large(t)) {
        try {
          parts = large.read(t, restoreOver, cancellation);
        } catch (ProcedureFailure e) {
          log.debug("reading {} in parts failed, pg_dump reads it: {}", t.name(), e.getMessage());
        }
      }
      parts.ifPresentOrElse(c -> got.put(t.key(), c), () -> byPgDump.add(t));
    }
    if (!byPgDump.isEmpty()) {
      got.putAll(
          RestoredContent.readOne(
              pgDump, libpq, encoding, rowHash, named(byPgDump, "--table="), cancellation));
    }
    return got;
  }

  /**
   * After pg_restore has finished: reads the large tables not yet read in parts, then what else is
   * left, waits for the batch still running, and returns every restored table's content.
   */
  Map<String, TableDigest.Content> finish(Cancellation cancellation)
      throws ProcedureFailure, InterruptedException {
    List<Manifest.TableCount> read;
    List<Manifest.TableCount> largeLeft = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
      read = new ArrayList<>(claimed);
      for (Manifest.TableCount t : manifest.tables()) {
        if (!claimed.contains(t) && large.large(t)) {
          largeLeft.add(t);
        }
      }
    }
    Map<String, TableDigest.Content> inParts = read(largeLeft, true, cancellation);
    read.addAll(largeLeft);
    Map<String, TableDigest.Content> rest =
        read.isEmpty()
            ? RestoredContent.read(pgDump, libpq, manifest, cancellation)
            : RestoredContent.readOne(
                pgDump, libpq, encoding, rowHash, named(read, "--exclude-table="), cancellation);
    rest.putAll(inParts);
    reader.join();
    List<Manifest.TableCount> again;
    synchronized (lock) {
      again = new ArrayList<>(failed);
    }
    Map<String, TableDigest.Content> all = new TreeMap<>(content);
    if (!again.isEmpty()) {
      all.putAll(
          RestoredContent.readOne(
              pgDump, libpq, encoding, rowHash, named(again, "--table="), cancellation));
    }
    all.putAll(rest);
    return all;
  }

  private static List<String> named(List<Manifest.TableCount> tables, String option) {
    return tables.stream().map(t -> option + ReadBackSplit.pattern(t)).toList();
  }

  /** How many tables were read back before pg_restore had finished. */
  int readEarly() {
    synchronized (lock) {
      return claimed.size() - failed.size();
    }
  }

  /** Stops the early reading (a pg_dump still running is ended). */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    early.cancel("the drill is over");
  }
}
