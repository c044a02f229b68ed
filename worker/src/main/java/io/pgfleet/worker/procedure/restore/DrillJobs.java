package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.util.function.BooleanSupplier;

/**
 * How many pg_restore jobs a drill runs, and why. A command's own {@code jobs} is kept as it is
 * ({@link #COMMAND}). Without it the worker chooses: up to {@link #DEFAULT_JOBS} jobs from a
 * decoded local copy ({@link LocalCopy#decoded}) for a custom, unencrypted backup when {@code
 * backup.workDir} has room for it ({@link #DEFAULT}); otherwise it streams into one pg_restore, and
 * {@link #reason()} says what stopped it (never a failure).
 *
 * @param jobs the jobs {@link Drill#run} is given (a directory backup restores with its dump's jobs
 *     whatever this says)
 * @param reason the result's {@code restoreJobsChosen}
 */
public record DrillJobs(int jobs, String reason) {
  /** The most jobs a drill chooses by itself: measured faster than streaming on 2 cores. */
  public static final int DEFAULT_JOBS = 2;

  public static final String COMMAND = "command";
  public static final String DEFAULT = "default";
  public static final String DIRECTORY = "directory";
  public static final String ENCRYPTED = "encrypted";
  public static final String MAX_JOBS = "maxJobs";
  public static final String ONE_CORE = "oneCore";
  public static final String WORK_DIR_ROOM = "workDirRoom";

  /** A drill run with a number of jobs. */
  @FunctionalInterface
  public interface Run<T> {
    T with(int jobs) throws ProcedureFailure, InterruptedException;
  }

  /** What a drill returned, and the jobs it ran with. */
  public record Ran<T>(T result, DrillJobs jobs) {}

  /**
   * Runs {@code drill} with these jobs. A worker's own choice found room in {@code backup.workDir},
   * but the local copy checks it again before writing: if the disk filled in between, that check
   * fails the copy before anything is made, and the drill streams instead ({@link #WORK_DIR_ROOM}).
   * A command's own jobs fail as they always did.
   */
  public <T> Ran<T> run(Run<T> drill) throws ProcedureFailure, InterruptedException {
    try {
      return new Ran<>(drill.with(jobs), this);
    } catch (ProcedureFailure e) {
      if (!DEFAULT.equals(reason) || e.code() != ErrorCode.INSUFFICIENT_DISK) {
        throw e;
      }
      DrillJobs streamed = new DrillJobs(1, WORK_DIR_ROOM);
      return new Ran<>(drill.with(streamed.jobs()), streamed);
    }
  }

  /** The jobs for a drill of {@code backup} on this machine, {@code requested} by the command. */
  public static DrillJobs of(Integer requested, StoredBackup backup, BackupSettings settings) {
    return choose(
        requested,
        backup.manifest().directory(),
        backup.encrypted(),
        settings.maxJobs(),
        Runtime.getRuntime().availableProcessors(),
        () -> WorkDirRoom.has(DecodedSize.of(backup.manifest()), settings));
  }

  static DrillJobs choose(
      Integer requested,
      boolean directory,
      boolean encrypted,
      int maxJobs,
      int processors,
      BooleanSupplier room) {
    if (requested != null) {
      return new DrillJobs(requested, COMMAND);
    }
    if (directory) {
      return new DrillJobs(1, DIRECTORY);
    }
    if (encrypted) {
      return new DrillJobs(1, ENCRYPTED);
    }
    if (maxJobs < 2) {
      return new DrillJobs(1, MAX_JOBS);
    }
    if (processors < 2) {
      return new DrillJobs(1, ONE_CORE);
    }
    if (!room.getAsBoolean()) {
      return new DrillJobs(1, WORK_DIR_ROOM);
    }
    return new DrillJobs(Math.min(DEFAULT_JOBS, Math.min(maxJobs, processors)), DEFAULT);
  }
}
