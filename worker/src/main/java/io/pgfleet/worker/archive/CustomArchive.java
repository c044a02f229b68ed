package io.pgfleet.worker.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads a pg_dump custom-format archive as it streams past, once, and passes every byte on: for
 * each table its rows and a sha256 of its COPY data (inflated on the fly when pg_dump compressed it
 * with gzip), and where each data block starts. The layout is pg_dump's (pg_backup_archiver.c
 * WriteHead / WriteToc, pg_backup_custom.c): a header, the table of contents (without data offsets
 * when written to a pipe), then one block per data entry: a type byte, the entry's dump id, and
 * length-prefixed chunks ending with a zero length.
 *
 * <p>Anything it does not understand (an archive version outside 1.12-1.16, lz4 or zstd compression
 * by pg_dump 16+) stops the reading, not the copy: the bytes still pass through unchanged and the
 * {@link Scan} says why it has no contents.
 */
public final class CustomArchive {
  private static final int MIN_MINOR = 12;
  private static final int MAX_MINOR = 16;
  private static final int BLK_DATA = 1;
  private static final int BLK_BLOBS_OLD = 2;
  private static final int BLK_BLOBS = 3;

  private CustomArchive() {}

  /** Told when the archive reaches a block start and when it ends, after all bytes before it. */
  public interface Cuts {
    void cut(long archiveOffset) throws IOException;

    Cuts NONE = offset -> {};
  }

  /**
   * One table's data in the archive.
   *
   * @param offset where its block starts in the archive
   * @param length the block's bytes
   */
  public record TableData(
      int dumpId,
      String schema,
      String table,
      TableDigest.Content content,
      long offset,
      long length) {}

  /**
   * What the reading found.
   *
   * @param unread why the contents are not known (null when they are)
   * @param encoding the dump's client_encoding (UTF8 for most databases)
   * @param tocBytes bytes of the header and table of contents, before the first block
   * @param blocks every data block's dump id, in archive order (tables and large objects)
   */
  public record Scan(
      String unread,
      String encoding,
      long tocBytes,
      List<TableData> tables,
      List<Integer> blocks,
      long archiveBytes) {
    public boolean complete() {
      return unread == null;
    }
  }

  /** Copies {@code in} to {@code out} while reading it; {@code cuts} sees every block start. */
  public static Scan copy(InputStream in, OutputStream out, LongConsumer onBytes, Cuts cuts)
      throws IOException {
    ArchiveInput input = new ArchiveInput(in, out, onBytes, 256 * 1024);
    Reader reader = new Reader(input, cuts);
    try {
      reader.read();
    } catch (Unreadable | EOFException e) {
      reader.unread = e.getMessage();
      input.passRest();
    }
    return reader.scan(input.offset());
  }

  /** A layout this reader does not follow; not an output failure. */
  private static final class Unreadable extends IOException {
    Unreadable(String message) {
      super(message);
    }
  }

  private static final class Reader {
    private final ArchiveInput in;
    private final Cuts cuts;
    private final Map<Integer, String[]> tableData = new HashMap<>();
    private final List<TableData> tables = new ArrayList<>();
    private final List<Integer> blocks = new ArrayList<>();
    private int intSize;
    private int offSize;
    private int minor;
    private boolean gzip;
    private String encoding;
    private long tocBytes;
    private String unread;

    Reader(ArchiveInput in, Cuts cuts) {
      this.in = in;
      this.cuts = cuts;
    }

    Scan scan(long end) {
      return new Scan(unread, encoding, tocBytes, List.copyOf(tables), List.copyOf(blocks), end);
    }

    void read() throws IOException {
      header();
      toc();
      tocBytes = in.offset();
      while (!in.atEnd()) {
        long start = in.offset();
        in.flush();
        cuts.cut(start);
        block(start);
      }
      in.flush();
      cuts.cut(in.offset());
    }

    private void header() throws IOException {
      for (char c : "PGDMP".toCharArray()) {
        if (in.readByte() != c) {
          throw new Unreadable("not a pg_dump archive");
        }
      }
      int major = in.readByte();
      minor = in.readByte();
      in.readByte(); // revision
      intSize = in.readByte();
      offSize = in.readByte();
      int format = in.readByte();
      if (major != 1 || minor < MIN_MINOR || minor > MAX_MINOR || intSize > 8 || offSize > 8) {
        throw new Unreadable("archive version 1." + minor + " is not one this reader knows");
      }
      if (format != 1) {
        throw new Unreadable("not a custom-format archive");
      }
      if (minor >= 15) {
        int algorithm = in.readByte();
        if (algorithm > 1) {
          throw new Unreadable("pg_dump compressed the data with lz4 or zstd: contents not read");
        }
        gzip = algorithm == 1;
      } else {
        gzip = in.readInt(intSize) != 0;
      }
      for (int i = 0; i < 7; i++) {
        in.readInt(intSize); // creation time
      }
      in.readString(intSize); // database name
      in.readString(intSize); // server version
      in.readString(intSize); // pg_dump version
    }

    private void toc() throws IOException {
      long entries = in.readInt(intSize);
      for (long i = 0; i < entries; i++) {
        int dumpId = (int) in.readInt(intSize);
        in.readInt(intSize); // has a data dumper
        in.readString(intSize); // table oid
        in.readString(intSize); // oid
        String tag = in.readString(intSize);
        String desc = in.readString(intSize);
        in.readInt(intSize); // section
        String defn = in.readString(intSize);
        in.readString(intSize); // drop statement
        in.readString(intSize); // copy statement
        String namespace = in.readString(intSize);
        in.readString(intSize); // tablespace
        if (minor >= 14) {
          in.readString(intSize); // table access method
        }
        if (minor >= 16) {
          in.readInt(intSize); // relkind
        }
        in.readString(intSize); // owner
        in.readString(intSize); // "false": with oids
        while (in.readString(intSize) != null) {
          // dependencies
        }
        in.readByte(); // data offset state
        for (int b = 0; b < offSize; b++) {
          in.readByte();
        }
        if ("TABLE DATA".equals(desc)) {
          tableData.put(dumpId, new String[] {namespace, tag});
        } else if ("ENCODING".equals(desc) && defn != null) {
          int open = defn.indexOf('\'');
          int close = defn.lastIndexOf('\'');
          encoding = open >= 0 && close > open ? defn.substring(open + 1, close) : null;
        }
      }
    }

    private void block(long start) throws IOException {
      int type = in.readByte();
      int dumpId = (int) in.readInt(intSize);
      blocks.add(dumpId);
      if (type == BLK_DATA) {
        String[] table = tableData.get(dumpId);
        TableDigest digest = table == null ? null : new TableDigest();
        chunks(digest);
        if (table != null) {
          tables.add(
              new TableData(
                  dumpId, table[0], table[1], digest.result(), start, in.offset() - start));
        }
      } else if (type == BLK_BLOBS || type == BLK_BLOBS_OLD) {
        while (in.readInt(intSize) != 0) { // large object oid
          chunks(null);
        }
      } else {
        throw new Unreadable("unknown block type " + type + " at byte " + start);
      }
    }

    /** Reads one block's chunks, up to the zero length that ends them. */
    private void chunks(TableDigest digest) throws IOException {
      Inflater inflater = digest != null && gzip ? new Inflater() : null;
      byte[] plain = inflater == null ? null : new byte[64 * 1024];
      try {
        for (long length; (length = in.readInt(intSize)) != 0; ) {
          if (length < 0) {
            throw new Unreadable("a negative chunk length");
          }
          if (digest == null) {
            in.readInto(length, (b, off, len) -> {});
          } else if (inflater == null) {
            in.readInto(length, digest::update);
          } else {
            in.readInto(length, (b, off, len) -> inflate(inflater, b, off, len, plain, digest));
          }
        }
      } finally {
        if (inflater != null) {
          inflater.end();
        }
      }
    }

    private static void inflate(
        Inflater inflater, byte[] b, int off, int len, byte[] plain, TableDigest digest)
        throws Unreadable {
      inflater.setInput(b, off, len);
      try {
        while (!inflater.needsInput() && !inflater.finished()) {
          int n = inflater.inflate(plain);
          if (n == 0 && inflater.needsDictionary()) {
            throw new Unreadable("compressed data needs a dictionary");
          }
          digest.update(plain, 0, n);
        }
      } catch (DataFormatException e) {
        throw new Unreadable("compressed data do not inflate: " + e.getMessage());
      }
    }
  }
}
