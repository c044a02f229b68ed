package io.pgfleet.worker.run;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.Origin;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.result.ResultPublisher;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.target.TargetDatabase;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Executes admitted commands on a bounded pool, off the consumer's thread. */
public final class RunExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);
  private final RunServices services;
  private final ExecutorService runs;
  private final ExecutorService lightRuns;
  private final ScheduledExecutorService scheduler;

  public RunExecutor(
      String workerId,
      Ledger ledger,
      ArtifactStore store,
      ResultPublisher results,
      RunSettings settings,
      WorkerMetrics metrics,
      Clock clock) {
    this.scheduler = Executors.newSingleThreadScheduledExecutor(named("pgfleet-heartbeat"));
    this.runs = Executors.newFixedThreadPool(settings.maxConcurrentRuns(), named("pgfleet-run"));
    // Light runs hold no target lock and no ledger connection while they work: more at a time.
    this.lightRuns =
        Executors.newFixedThreadPool(settings.maxConcurrentLightRuns(), named("pgfleet-light"));
    this.services =
        new RunServices(
            workerId,
            ledger,
            store,
            results,
            settings,
            scheduler,
            new Resilience(settings, metrics),
            metrics,
            clock);
  }

  /** A run in progress: its outcome for the offset, and a way to stop it. */
  public record Handle(Future<RunEnd> end, RunTask task) {
    public void cancel(String why) {
      task.cancel(why);
    }

    /** The result events to publish with the command's offset; read once {@link #end} is done. */
    public List<Outgoing> outgoing() {
      return task.outgoing();
    }

    /** The last event the run sent outside the results transaction (started, progress), or null. */
    public Future<?> eventsSent() {
      return task.eventsSent();
    }

    /** Why the command was refused, when the run ended {@link RunEnd#REJECTED}. */
    public RunError rejection() {
      return task.rejection();
    }
  }

  /**
   * Starts a run.
   *
   * @param origin the command's record, which the run's result settles
   * @param whenDone called on the run's thread once it ended, however it ended
   */
  public Handle submit(
      Command command,
      String commandJson,
      Procedure procedure,
      TargetDatabase target,
      Origin origin,
      Runnable whenDone) {
    RunTask task = new RunTask(services, command, commandJson, procedure, target, origin);
    ExecutorService pool = procedure.heavy(command) ? runs : lightRuns;
    return new Handle(
        pool.submit(
            () -> {
              try {
                return task.call();
              } finally {
                whenDone.run();
              }
            }),
        task);
  }

  /**
   * Marks results published in the ledger, off the caller's thread: Kafka has them (the mark only
   * spares a later duplicate the look at the committed offset).
   */
  public void markPublished(List<String> commandIds) {
    if (commandIds.isEmpty()) {
      return;
    }
    try {
      scheduler.execute(
          () -> {
            try {
              services.ledger().markPublished(commandIds);
            } catch (RuntimeException e) {
              log.warn("cannot mark the results of {} published: {}", commandIds, e.getMessage());
            }
          });
    } catch (RejectedExecutionException e) {
      log.warn("worker closing: results of {} not marked published", commandIds);
    }
  }

  /** Waits for running tasks to end, up to the given time; returns whether all did. */
  public boolean awaitIdle(long millis) throws InterruptedException {
    runs.shutdown();
    lightRuns.shutdown();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    boolean heavyDone = runs.awaitTermination(millis, TimeUnit.MILLISECONDS);
    long left = Math.max(0, deadline - System.nanoTime());
    return lightRuns.awaitTermination(left, TimeUnit.NANOSECONDS) && heavyDone;
  }

  @Override
  public void close() {
    runs.shutdownNow();
    lightRuns.shutdownNow();
    scheduler.shutdownNow();
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
