package io.pgfleet.worker.procedure.backup;

import com.github.luben.zstd.ZstdOutputStream;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.storage.Envelope;
import io.pgfleet.worker.storage.Manifest;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The worker's encoding of a dump's bytes on their way to the store, as the manifest describes it:
 * zstd inside, the encryption envelope outside. Closing the returned stream finishes both encodings
 * but leaves the upload open, for the caller to complete or abort.
 */
final class StoredEncoding {
  private StoredEncoding() {}

  static OutputStream around(
      OutputStream upload, BackupParams params, Manifest.Encryption encryption, EncryptionKeys keys)
      throws IOException {
    OutputStream sink = new KeepOpen(upload);
    if (encryption != null) {
      sink = Envelope.encrypt(sink, encryption.keyId(), keys.key(encryption.keyId()).orElseThrow());
    }
    if (params.compression().equals(BackupParams.ZSTD)) {
      sink = new ZstdOutputStream(sink, params.compressionLevel());
    }
    return sink;
  }

  /** pg_dump's own compression level: zstd is the worker's, and then pg_dump writes plain bytes. */
  static int pgDumpLevel(BackupParams params) {
    return params.compression().equals(BackupParams.GZIP) ? params.compressionLevel() : 0;
  }

  /** Lets the encoding streams close without closing (and so aborting) the upload. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
