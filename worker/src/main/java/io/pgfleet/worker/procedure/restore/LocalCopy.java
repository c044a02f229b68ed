package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.WorkDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A verified local copy of a backup, and how pg_restore reads it: a custom archive is one file fed
 * to pg_restore's stdin (still encoded, decoded on the way); a directory-format dump is a decoded
 * directory pg_restore opens itself, with up to {@code jobs} parallel jobs. Closing removes it.
 */
final class LocalCopy implements AutoCloseable {
  private final StoredBackup backup;
  private final Path path;
  private final WorkDirectory directory;
  private final int jobs;

  private LocalCopy(StoredBackup backup, Path path, WorkDirectory directory, int jobs) {
    this.backup = backup;
    this.path = path;
    this.directory = directory;
    this.jobs = jobs;
  }

  /** Downloads and checks the backup; nothing is restored from bytes that were not verified. */
  static LocalCopy download(RunContext ctx, StoredBackup backup, EncryptionKeys keys, Path workDir)
      throws ProcedureFailure, InterruptedException {
    if (!backup.manifest().directory()) {
      return new LocalCopy(backup, BackupReader.download(ctx.store(), backup, workDir), null, 1);
    }
    BackupSettings settings = ctx.target().config().backup();
    WorkDirectory work =
        DirectoryDownload.download(ctx.store(), backup, keys, settings, ctx.cancellation());
    Integer dumped = backup.manifest().dump().jobs();
    int jobs = Math.min(dumped == null ? 1 : dumped, settings.maxJobs());
    return new LocalCopy(backup, DirectoryDownload.dumpIn(work), work, jobs);
  }

  /** What pg_restore reads on stdin: the archive, or nothing when it opens the directory. */
  BackupReader reader() throws IOException {
    return directory == null ? BackupReader.fromFile(path, backup) : BackupReader.none(backup);
  }

  /**
   * pg_restore's arguments naming the input, last on its command line.
   *
   * @param parallel whether pg_restore may run jobs (not when it writes SQL to stdout)
   */
  List<String> source(boolean parallel) {
    List<String> args = new ArrayList<>();
    if (directory != null) {
      args.add("--format=directory");
      if (parallel && jobs > 1) {
        args.add("--jobs=" + jobs);
      }
      args.add(path.toString());
    }
    return args;
  }

  /** A private directory for the restore's own small files (a use list). */
  Path scratchDirectory() {
    return directory == null ? path.getParent() : directory.path();
  }

  /** Arguments followed by the source. */
  List<String> with(List<String> arguments, boolean parallel) {
    List<String> all = new ArrayList<>(arguments);
    all.addAll(source(parallel));
    return all;
  }

  @Override
  public void close() {
    if (directory == null) {
      BackupReader.deleteQuietly(path);
    } else {
      directory.close();
    }
  }
}
