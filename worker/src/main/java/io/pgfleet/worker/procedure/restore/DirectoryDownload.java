package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.procedure.WorkDirSpace;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.storage.WorkDirectory;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Downloads a directory-format dump into a private local directory pg_restore can read with
 * parallel jobs: every file the manifest lists must exist, and each is decoded (decrypted,
 * decompressed) while the sha256 of its stored bytes is computed and compared with its line in the
 * manifest. Any missing or differing file refuses the whole backup, before a restore creates or
 * drops anything; the directory is then removed.
 *
 * <p>The local copy is decoded (pg_restore reads files, not a stream it could be fed through the
 * worker's decoder), so an encrypted backup lies decrypted on the worker's disk while it is
 * restored: in a directory only the worker's user can open, removed when the restore ends.
 */
final class DirectoryDownload {
  private DirectoryDownload() {}

  static WorkDirectory download(
      Artifacts store,
      StoredBackup backup,
      EncryptionKeys keys,
      BackupSettings settings,
      Cancellation cancellation)
      throws ProcedureFailure, InterruptedException {
    requireAllFiles(store, backup);
    requireSpace(backup, settings);
    WorkDirectory work;
    try {
      work = WorkDirectory.create(settings.workDir(), "pgfleet-restore-");
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.INSUFFICIENT_DISK,
          "cannot create a directory in backup.workDir " + settings.workDir() + ": " + e,
          e);
    }
    boolean done = false;
    try {
      Path dir = Files.createDirectory(work.path().resolve("dump"));
      for (Manifest.DumpFile file : backup.manifest().files()) {
        cancellation.check();
        fetch(store, backup, file, dir.resolve(file.name()), keys);
      }
      done = true;
      return work;
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "downloading " + backup.uri() + " to " + settings.workDir() + " failed: " + e,
          e);
    } finally {
      if (!done) {
        work.close();
      }
    }
  }

  /** The local copy's dump directory inside {@code work}. */
  static Path dumpIn(WorkDirectory work) {
    return work.path().resolve("dump");
  }

  private static void requireAllFiles(Artifacts store, StoredBackup backup)
      throws ProcedureFailure {
    try {
      for (Manifest.DumpFile file : backup.manifest().files()) {
        if (store.size(backup.key() + file.name()) < 0) {
          throw new ProcedureFailure(
              ErrorCode.INTEGRITY_FAILED,
              "incomplete artifact "
                  + backup.uri()
                  + ": its manifest lists "
                  + file.name()
                  + ", which is not in the store; refused, nothing was changed. Use another"
                  + " backup");
        }
      }
    } catch (StorageException e) {
      throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, e.getMessage(), e);
    }
  }

  /** The stored size is a floor of the decoded one (zstd expands); pg_dump's gzip stays as is. */
  private static void requireSpace(StoredBackup backup, BackupSettings settings)
      throws ProcedureFailure {
    long needed = backup.manifest().artifact().bytes() + settings.keepFreeBytes();
    long free = WorkDirSpace.usable(settings);
    if (free < needed) {
      throw new ProcedureFailure(
          ErrorCode.INSUFFICIENT_DISK,
          "restoring "
              + backup.uri()
              + " needs at least "
              + (needed >> 20)
              + " MiB free in "
              + settings.workDir()
              + " (its size plus backup.keepFreeMb), but "
              + (free >> 20)
              + " MiB are free: free disk space or point backup.workDir at a larger disk");
    }
  }

  private static void fetch(
      Artifacts store, StoredBackup backup, Manifest.DumpFile file, Path local, EncryptionKeys keys)
      throws ProcedureFailure, IOException {
    try (BackupReader reader = BackupReader.fromStore(store, backup, file)) {
      IOException decoding = null;
      // the decoded stream stays open: requireIntact reads what is left of the stored bytes
      try (OutputStream out = Files.newOutputStream(local)) {
        reader.archive(keys).transferTo(out);
      } catch (IOException e) {
        decoding = e;
      }
      reader.requireIntact(); // a damaged object is an integrity failure, whatever decoding said
      if (decoding != null) {
        throw Restorer.undecodable(decoding);
      }
    } catch (StorageException e) {
      throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, e.getMessage(), e);
    }
  }
}
