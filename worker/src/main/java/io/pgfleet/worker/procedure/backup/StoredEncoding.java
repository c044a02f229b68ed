package io.pgfleet.worker.procedure.backup;

import com.github.luben.zstd.ZstdOutputStream;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.worker.archive.ArchiveCuts;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.storage.Envelope;
import io.pgfleet.worker.storage.KeepOpen;
import io.pgfleet.worker.storage.Manifest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The worker's encoding of a dump's bytes on their way to the store, as the manifest describes it:
 * zstd inside, the encryption envelope outside. Closing {@link #out()} finishes both encodings but
 * leaves the upload open, for the caller to complete or abort.
 *
 * <p>Unencrypted, the stored object is cut into pieces that decode on their own: the header and
 * TOC, then one piece per data block (a zstd frame each when the worker compresses). Encrypted, the
 * envelope's chunks do not line up with blocks, so there are no pieces, and the stored bytes go to
 * the upload unhashed (the upload computes the object's sha256 itself).
 */
final class StoredEncoding {
  /**
   * zstd's long-distance matching over a 16 MiB window: it finds the repetition between rows that
   * levels 1-3 miss (0.99x the size at the same level on bench data) with bounded memory, and
   * {@code zstd -d} reads it without flags (its default limit is a 128 MiB window).
   */
  static final int LONG_WINDOW_LOG = 24;

  /**
   * Level 2's hash table, 2^15 entries instead of zstd's 2^16. zstd-jni's level 2 (zstd 1.5.5 and
   * later) stores 0.4% more than the 1.5.4 CLI at the same parameters on rows of random text, where
   * a larger table finds more short matches that cost more than the literals they replace. With
   * 2^15 it stores 0.995x {@code pg_dump -Z6} on both {@code bench fleet-nightly}'s and {@code
   * bench compression}'s data (2^14: 1.0004x on the latter), with less CPU (bench/RESULTS.md). The
   * decoder does not depend on it.
   */
  static final int LEVEL_2_HASH_LOG = 15;

  private final OutputStream out;
  private final StoredPieces pieces;
  private final ZstdOutputStream zstd;

  private StoredEncoding(OutputStream out, StoredPieces pieces, ZstdOutputStream zstd) {
    this.out = out;
    this.pieces = pieces;
    this.zstd = zstd;
  }

  static StoredEncoding around(
      OutputStream upload, BackupParams params, Manifest.Encryption encryption, EncryptionKeys keys)
      throws IOException {
    return encoding(upload, params, encryption, keys, encryption == null);
  }

  /**
   * The same encoding with no pieces: for callers that store the object whole (a directory dump's
   * files), so its bytes are not counted and hashed a second time on their way.
   */
  static OutputStream whole(
      OutputStream upload, BackupParams params, Manifest.Encryption encryption, EncryptionKeys keys)
      throws IOException {
    return encoding(upload, params, encryption, keys, false).out();
  }

  private static StoredEncoding encoding(
      OutputStream upload,
      BackupParams params,
      Manifest.Encryption encryption,
      EncryptionKeys keys,
      boolean pieced)
      throws IOException {
    StoredPieces pieces = pieced ? new StoredPieces(upload) : null;
    OutputStream sink = pieced ? pieces : new KeepOpen(upload);
    if (encryption != null) {
      sink = Envelope.encrypt(sink, encryption.keyId(), keys.key(encryption.keyId()).orElseThrow());
    }
    ZstdOutputStream zstd = null;
    if (params.compression().equals(BackupParams.ZSTD)) {
      zstd = compressor(sink, params.compressionLevel());
      sink = zstd;
    }
    return new StoredEncoding(sink, pieces, zstd);
  }

  /** The worker's zstd at {@code level}: long-distance matching, and level 2's smaller table. */
  static ZstdOutputStream compressor(OutputStream sink, int level) throws IOException {
    ZstdOutputStream zstd =
        new ZstdOutputStream(sink, level).setLong(LONG_WINDOW_LOG).setCloseFrameOnFlush(true);
    if (level == 2) {
      zstd.setHashLog(LEVEL_2_HASH_LOG);
    }
    return zstd;
  }

  OutputStream out() {
    return out;
  }

  /** Where the archive reader cuts the stored object: at each block start, and at its end. */
  ArchiveCuts cuts() {
    if (pieces == null) {
      return ArchiveCuts.NONE;
    }
    return offset -> {
      if (zstd != null) {
        zstd.flush(); // ends the frame
      }
      pieces.mark();
    };
  }

  /** The stored pieces, in order; empty when the object is encrypted. */
  List<Manifest.Piece> pieces() {
    return pieces == null ? List.of() : pieces.pieces();
  }

  /** pg_dump's own compression level: zstd is the worker's, and then pg_dump writes plain bytes. */
  static int pgDumpLevel(BackupParams params) {
    return params.compression().equals(BackupParams.GZIP) ? params.compressionLevel() : 0;
  }
}
