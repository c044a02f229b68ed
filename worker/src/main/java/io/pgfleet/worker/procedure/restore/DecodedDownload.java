package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.storage.Artifacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The pg_dump archive inside a stored custom backup, decoded (decrypted, zstd) into a private file
 * as the stored bytes stream from the object store: what pg_restore {@code --jobs} needs, a
 * seekable file. The stored bytes are checked against the manifest's size and sha256 once read; a
 * file whose bytes did not check is deleted, never restored.
 */
final class DecodedDownload {
  private DecodedDownload() {}

  static PartFiles.Held write(Artifacts store, StoredBackup backup, EncryptionKeys keys, Path dir)
      throws ProcedureFailure {
    PartFiles.Held file = null;
    try (BackupReader reader = BackupReader.fromStore(store, backup)) {
      try {
        file = PartFiles.create(dir);
      } catch (IOException e) {
        throw new ProcedureFailure(
            ErrorCode.STORAGE_FAILED,
            "cannot write the decoded archive of " + backup.uri() + " in " + dir + ": " + e,
            e);
      }
      IOException undecodable = null; // the stored bytes decide first: damaged, or a missing key
      // written through the locked channel, never another descriptor (closing one drops the lock)
      try (OutputStream out = LockKeepingOutput.of(file.channel())) {
        byte[] chunk = new byte[1 << 16];
        // not closed: that would close the stored stream, whose rest requireIntact still reads
        InputStream archive = null;
        while (true) {
          int n;
          try {
            archive = archive == null ? reader.archive(keys) : archive;
            n = archive.read(chunk);
          } catch (IOException e) {
            undecodable = e;
            break;
          }
          if (n < 0) {
            break;
          }
          out.write(chunk, 0, n); // a full disk fails here, as STORAGE_FAILED
        }
      }
      reader.requireIntact();
      if (undecodable != null) {
        throw Restorer.undecodable(undecodable);
      }
      return file;
    } catch (IOException e) {
      closeQuietly(file);
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "writing the decoded archive of " + backup.uri() + " to " + dir + " failed: " + e,
          e);
    } catch (ProcedureFailure | RuntimeException e) {
      closeQuietly(file);
      throw e;
    }
  }

  private static void closeQuietly(PartFiles.Held file) {
    if (file != null) {
      file.close();
    }
  }
}
