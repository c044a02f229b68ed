package io.pgfleet.worker.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads a pg_dump custom-format archive as it streams past, once, and passes every byte on: for
 * each table its rows and a {@link TableDigest} of its COPY data (inflated on the fly when pg_dump
 * compressed it with gzip), and where each data block starts. The layout is pg_dump's
 * (pg_backup_archiver.c WriteHead / WriteToc, pg_backup_custom.c): a header, the table of contents
 * (without data offsets when written to a pipe), then one block per data entry: a type byte, the
 * entry's dump id, and length-prefixed chunks ending with a zero length.
 *
 * <p>Anything it does not understand (an archive version outside 1.12-1.16, lz4 or zstd compression
 * by pg_dump 16+) stops the reading, not the copy: the bytes still pass through unchanged and the
 * {@link ArchiveScan} says why it has no contents.
 */
public final class CustomArchive {

  private CustomArchive() {}

  /**
   * Copies {@code in} to {@code out} while reading it, each table's rows hashed by {@code rowHash};
   * {@code cuts} sees every block start.
   */
  public static ArchiveScan copy(
      InputStream in, OutputStream out, ArchiveCuts cuts, RowHash rowHash) throws IOException {
    ArchiveInput input = new ArchiveInput(in, out, 256 * 1024);
    CustomArchiveReader reader = new CustomArchiveReader(input, cuts, rowHash);
    try {
      reader.read();
    } catch (Unreadable | EOFException e) {
      reader.unread = e.getMessage();
      input.passRest();
    }
    return reader.scan(input.offset());
  }
}
