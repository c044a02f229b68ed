package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.WorkDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A verified local copy of a backup, and how pg_restore reads it: a custom archive is one file fed
 * to pg_restore's stdin (still encoded, decoded on the way), or, for parallel jobs, one decoded
 * file pg_restore opens itself; a directory-format dump is a decoded directory pg_restore opens
 * itself, with up to {@code jobs} parallel jobs. Closing removes it.
 */
final class LocalCopy implements AutoCloseable {
  private final StoredBackup backup;
  private final Path path;
  private final WorkDirectory directory;
  private final int jobs;
  private final boolean decoded;
  private PartFiles.Held held;
  private final long bytesRead;

  private LocalCopy(
      StoredBackup backup, Path path, WorkDirectory directory, int jobs, long bytesRead) {
    this(backup, path, directory, jobs, bytesRead, false);
  }

  private LocalCopy(
      StoredBackup backup,
      Path path,
      WorkDirectory directory,
      int jobs,
      long bytesRead,
      boolean decoded) {
    this.decoded = decoded;
    this.backup = backup;
    this.path = path;
    this.directory = directory;
    this.jobs = jobs;
    this.bytesRead = bytesRead;
  }

  /** Downloads and checks the backup; nothing is restored from bytes that were not verified. */
  static LocalCopy download(RunContext ctx, StoredBackup backup, EncryptionKeys keys, Path workDir)
      throws ProcedureFailure, InterruptedException {
    if (!backup.manifest().directory()) {
      PartFileSweep.sweep(workDir); // what a crashed restore or drill left
      return new LocalCopy(
          backup,
          BackupReader.download(ctx.store(), backup, workDir),
          null,
          1,
          backup.manifest().artifact().bytes());
    }
    BackupSettings settings = ctx.target().config().backup();
    WorkDirectory work =
        DirectoryDownload.download(ctx.store(), backup, keys, settings, ctx.cancellation());
    Integer dumped = backup.manifest().dump().jobs();
    int jobs = Math.min(dumped == null ? 1 : dumped, settings.maxJobs());
    return new LocalCopy(
        backup, DirectoryDownload.dumpIn(work), work, jobs, backup.manifest().artifact().bytes());
  }

  /**
   * A custom backup's archive decoded into a private file in the worker's work directory, restored
   * with {@code jobs} parallel pg_restore jobs (which need a seekable file, never stdin).
   */
  static LocalCopy decoded(RunContext ctx, StoredBackup backup, EncryptionKeys keys, int jobs)
      throws ProcedureFailure {
    BackupSettings settings = ctx.target().config().backup();
    PartFileSweep.sweep(settings.workDir()); // what a crashed drill left, in the clear
    WorkDirRoom.require(backup.uri(), DecodedSize.of(backup.manifest()), settings);
    PartFiles.Held file = DecodedDownload.write(ctx.store(), backup, keys, settings.workDir());
    LocalCopy copy =
        new LocalCopy(backup, file.path(), null, jobs, backup.manifest().artifact().bytes(), true);
    copy.held = file;
    return copy;
  }

  /**
   * What restoring {@code tables} needs of the backup: when its manifest indexes the stored object,
   * only the TOC and those tables' blocks (ranged GETs, each checked); otherwise all of it.
   */
  static LocalCopy forTables(
      RunContext ctx, StoredBackup backup, EncryptionKeys keys, Path workDir, Set<String> tables)
      throws ProcedureFailure, InterruptedException {
    List<Manifest.Piece> pieces = StoredRanges.forTables(backup.manifest(), tables);
    if (pieces.isEmpty()) {
      return download(ctx, backup, keys, workDir);
    }
    PartFileSweep.sweep(workDir);
    Path file = StoredRanges.download(ctx.store(), backup, pieces, workDir);
    return new LocalCopy(backup, file, null, 1, StoredRanges.bytes(pieces));
  }

  /** The pg_restore jobs this copy is restored with. */
  int jobs() {
    return jobs;
  }

  /** Stored bytes read from the object store to make this copy. */
  long bytesRead() {
    return bytesRead;
  }

  /** What pg_restore reads on stdin: the archive, or nothing when it opens the directory. */
  BackupReader reader() throws IOException {
    return directory == null && !decoded
        ? BackupReader.fromFile(path, backup)
        : BackupReader.none(backup);
  }

  /**
   * pg_restore's arguments naming the input, last on its command line.
   *
   * @param parallel whether pg_restore may run jobs (not when it writes SQL to stdout)
   */
  List<String> source(boolean parallel) {
    List<String> args = new ArrayList<>();
    if (decoded) { // pg_restore opens the file itself
      if (parallel && jobs > 1) {
        args.add("--jobs=" + jobs);
      }
      args.add(path.toString());
    } else if (directory != null) {
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
    if (held != null) {
      held.close();
    } else if (directory == null) {
      BackupReader.deleteQuietly(path);
    } else {
      directory.close();
    }
  }
}
