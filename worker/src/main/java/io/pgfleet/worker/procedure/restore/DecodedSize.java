package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.worker.storage.Manifest;

/**
 * How much disk a custom backup's decoded archive takes ({@link DecodedDownload}), checked before a
 * byte is written ({@link WorkDirRoom}). pg_dump's own gzip archive is stored as it is; a zstd
 * backup holds pg_dump's uncompressed archive: every table's COPY text (the manifest's bytes) plus
 * each row's chunk header (pg_dump writes a row a chunk, its length in 5 bytes), rounded up to 8
 * bytes a row. An older manifest without the tables' bytes is taken at {@link #UNKNOWN_RATIO} times
 * the stored size.
 */
final class DecodedSize {
  /**
   * An older manifest without a table's COPY bytes: assume zstd shrank the archive this many times
   * (typical COPY text compresses less), rather than trust a rows-based guess far too low.
   */
  static final long UNKNOWN_RATIO = 20;

  private DecodedSize() {}

  static long of(Manifest manifest) {
    long stored = manifest.artifact().bytes();
    if (!BackupParams.ZSTD.equals(manifest.dump().compression())) {
      return stored;
    }
    long data = 0;
    for (Manifest.TableCount t : manifest.tables()) {
      if (t.bytes() == null) {
        return stored * UNKNOWN_RATIO;
      }
      data += t.bytes() + 8 * t.rows();
    }
    return Math.max(stored, data);
  }
}
