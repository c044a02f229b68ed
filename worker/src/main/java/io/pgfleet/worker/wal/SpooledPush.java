package io.pgfleet.worker.wal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * wal-push with a spool (pgBackRest's archive-push async): pushes the file PostgreSQL asked for
 * and, in parallel, the next files it has marked ready, leaving a {@link WalSpool} marker for each
 * of those once it is in the archive. The outcome for the asked-for file is exactly {@link
 * WalArchive#push}'s; a file pushed ahead that fails gets no marker, so PostgreSQL asks for it and
 * it is pushed (or refused) as usual.
 */
public final class SpooledPush {
  private final WalArchive archive;
  private final WalSpool spool;
  private final int jobs;

  public SpooledPush(WalArchive archive, WalSpool spool, int jobs) {
    this.archive = archive;
    this.spool = spool;
    this.jobs = jobs;
  }

  /**
   * What a push did: the asked-for file's outcome, and how many files went ahead into the spool.
   */
  public record Outcome(WalArchive.Pushed pushed, int markedAhead) {}

  /**
   * Pushes {@code file} and up to {@code ahead} ready files after it; {@code warn} hears why a file
   * could not be pushed ahead. Throws what {@link WalArchive#push} throws for {@code file}.
   */
  public Outcome push(Path file, int ahead, Consumer<String> warn) {
    List<WalFileName> next = spool.ahead(file, ahead);
    Path walDir = file.toAbsolutePath().getParent();
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, 1 + next.size())));
    try {
      Future<WalArchive.Pushed> asked =
          pool.submit(
              () -> {
                WalSegmentSize.check(file);
                return archive.push(file);
              });
      List<Future<WalFileName>> early = new ArrayList<>();
      for (WalFileName name : next) {
        early.add(
            pool.submit(
                () -> {
                  WalSegmentSize.check(walDir.resolve(name.value()));
                  archive.push(walDir.resolve(name.value()));
                  spool.markArchived(name);
                  return name;
                }));
      }
      int marked = 0;
      for (int i = 0; i < early.size(); i++) {
        try {
          early.get(i).get();
          marked++;
        } catch (ExecutionException e) {
          warn.accept(
              "not pushed ahead: "
                  + next.get(i)
                  + ": "
                  + e.getCause().getMessage()
                  + " (PostgreSQL will ask for it again)");
        }
      }
      WalArchive.Pushed pushed = await(asked);
      // started without the launcher's fast path (java -jar): the marker is spent all the same
      spool.consume(new WalFileName(file.getFileName().toString()));
      return new Outcome(pushed, marked);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WalArchiveException("interrupted while archiving " + file, e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static WalArchive.Pushed await(Future<WalArchive.Pushed> asked)
      throws InterruptedException {
    try {
      return asked.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new WalArchiveException(e.getCause().getMessage(), e.getCause());
    }
  }
}
