package io.pgfleet.worker.procedure.backup;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.WorkDirSpace;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.MultipartUpload;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.storage.StoredObject;
import io.pgfleet.worker.storage.WorkDirectory;
import io.pgfleet.worker.target.PgTools;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory-format dump: {@code pg_dump -Fd -j N --snapshot} writes into a private temporary
 * directory on the worker, then every file is uploaded as its own object under the artifact's
 * prefix, with its own sha256.
 *
 * <p>Why a local directory and not a stream: pg_dump's parallel jobs each write their own table's
 * file at the same time, which pg_dump can only do into a directory; a custom archive has one
 * writer. The directory costs local disk of about the dump's size, so the free space is checked
 * before pg_dump starts ({@link #requireSpace}), and the directory is removed whatever happens.
 *
 * <p>Compression: gzip is pg_dump's own, per file (the files are {@code *.dat.gz}); zstd and
 * encryption are the worker's, applied to each file on its way to the store exactly as to a custom
 * archive, so a reader decodes every object the same way.
 */
final class DirectoryDump {
  private final RunContext ctx;
  private final BackupParams params;
  private final Manifest.Encryption encryption;
  private final EncryptionKeys keys;
  private final BackupSettings settings;

  DirectoryDump(
      RunContext ctx, BackupParams params, Manifest.Encryption encryption, EncryptionKeys keys) {
    this.ctx = ctx;
    this.params = params;
    this.encryption = encryption;
    this.keys = keys;
    this.settings = ctx.target().config().backup();
  }

  /** The stored dump: its prefix (with total size and listing sha256) and its files. */
  record Stored(StoredObject directory, List<Manifest.DumpFile> files) {}

  /** Refuses more jobs than the target allows, before anything runs. */
  static void requireJobs(BackupParams params, BackupSettings settings, String target)
      throws ProcedureFailure {
    if (params.jobs() > settings.maxJobs()) {
      throw new ProcedureFailure(
          ErrorCode.INVALID_COMMAND,
          "jobs "
              + params.jobs()
              + " is more than target "
              + target
              + " allows: send jobs of at most "
              + settings.maxJobs()
              + ", or raise backup.maxJobs for it in the worker config");
    }
  }

  /**
   * An estimate of the directory's size from the tables' on-disk size (heap and TOAST, no indexes):
   * pg_dump's text rows take about as much as the heap, and gzip shrinks them at least by half. Too
   * high rather than too low: a dump that fills the disk would fail late and hurt other runs.
   */
  static long estimateBytes(BackupParams params, long tableBytes) {
    if (params.schemaOnly()) {
      return 1L << 20;
    }
    boolean gzip = params.compression().equals(BackupParams.GZIP) && params.compressionLevel() > 0;
    return gzip ? tableBytes / 2 : tableBytes;
  }

  static void requireSpace(BackupSettings settings, long estimate) throws ProcedureFailure {
    long free = WorkDirSpace.usable(settings);
    if (free < estimate + settings.keepFreeBytes()) {
      throw new ProcedureFailure(
          ErrorCode.INSUFFICIENT_DISK,
          "a directory-format dump needs about "
              + mib(estimate)
              + " MiB in "
              + settings.workDir()
              + " and "
              + mib(settings.keepFreeBytes())
              + " MiB must stay free (backup.keepFreeMb), but only "
              + mib(free)
              + " MiB are free: free disk space, point backup.workDir at a larger disk, or use"
              + " format custom (streamed, no local disk)");
    }
  }

  Stored run(PgTools.Tool pgDump, List<String> commonArguments, String prefix)
      throws ProcedureFailure, InterruptedException {
    try (WorkDirectory work = WorkDirectory.create(settings.workDir(), "pgfleet-backup-")) {
      Path dir = work.path().resolve("dump");
      List<String> args = new ArrayList<>();
      args.add("--format=directory");
      args.add("--jobs=" + params.jobs());
      args.add("--file=" + dir);
      args.addAll(commonArguments);
      PgDump.Exit exit =
          new PgDump(pgDump, args, ctx.target().libpqEnvironment("backup"))
              .streamTo(OutputStream.nullOutputStream(), bytes -> {}, ctx.cancellation());
      if (exit.code() != 0) {
        throw PgDumpTool.failed(ctx.target(), exit);
      }
      return upload(dir, prefix);
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "the directory dump in " + settings.workDir() + " failed: " + e.getMessage(),
          e);
    }
  }

  /** Uploads every file; on failure deletes what was uploaded, since no manifest will vouch. */
  private Stored upload(Path dir, String prefix) throws ProcedureFailure, InterruptedException {
    List<Path> paths;
    try (Stream<Path> listing = Files.list(dir)) {
      paths = listing.sorted().toList();
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED, "cannot list the dump directory: " + e.getMessage(), e);
    }
    long total = 0;
    for (Path p : paths) {
      total += sizeOf(p);
    }
    List<Manifest.DumpFile> files = new ArrayList<>();
    long done = 0;
    boolean complete = false;
    try {
      for (Path p : paths) {
        ctx.cancellation().check();
        StoredObject object = uploadFile(p, prefix + p.getFileName());
        files.add(
            new Manifest.DumpFile(p.getFileName().toString(), object.bytes(), object.sha256()));
        done += sizeOf(p);
        ctx.progress().report(done, total);
      }
      complete = true;
    } finally {
      if (!complete) {
        deleteQuietly(prefix);
      }
    }
    long bytes = files.stream().mapToLong(Manifest.DumpFile::bytes).sum();
    StoredObject directory =
        new StoredObject(ctx.store().bucket(), prefix, bytes, Manifest.listingSha256(files));
    return new Stored(directory, files);
  }

  private StoredObject uploadFile(Path file, String key) throws ProcedureFailure {
    MultipartUpload upload =
        ctx.store().upload(key, "application/octet-stream", params.serverSideEncryption());
    try {
      try (InputStream in = Files.newInputStream(file);
          OutputStream out = StoredEncoding.whole(upload, params, encryption, keys)) {
        in.transferTo(out);
      }
      return upload.complete();
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "uploading " + ctx.store().uri(key) + " failed: " + e.getMessage(),
          e);
    } finally {
      upload.abort(); // no-op once complete
    }
  }

  private void deleteQuietly(String prefix) {
    try {
      ctx.store().deleteAll(prefix);
    } catch (StorageException e) {
      // without a manifest the files are no backup; the next attempt overwrites them
      org.slf4j.LoggerFactory.getLogger(DirectoryDump.class)
          .warn("could not delete the unfinished dump {}: {}", prefix, e.getMessage());
    }
  }

  private static long sizeOf(Path p) throws ProcedureFailure {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, "cannot read " + p.getFileName(), e);
    }
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
