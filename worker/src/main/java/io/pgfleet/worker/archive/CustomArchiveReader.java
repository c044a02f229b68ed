package io.pgfleet.worker.archive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/** Follows the archive's layout block by block; {@link CustomArchive#copy} drives it. */
final class CustomArchiveReader {
  private static final int MIN_MINOR = 12;
  private static final int MAX_MINOR = 16;
  private static final int BLK_DATA = 1;
  private static final int BLK_BLOBS_OLD = 2;
  private static final int BLK_BLOBS = 3;

  private final ArchiveInput in;
  private final ArchiveCuts cuts;
  private final RowHash rowHash;
  private final Map<Integer, String[]> tableData = new HashMap<>();
  private final List<ArchivedTable> tables = new ArrayList<>();
  private final List<Integer> blocks = new ArrayList<>();
  private int intSize;
  private int offSize;
  private int minor;
  private boolean gzip;
  private String encoding;
  private long tocBytes;
  String unread;

  CustomArchiveReader(ArchiveInput in, ArchiveCuts cuts, RowHash rowHash) {
    this.in = in;
    this.cuts = cuts;
    this.rowHash = rowHash;
  }

  ArchiveScan scan(long end) {
    return new ArchiveScan(
        unread, encoding, rowHash, tocBytes, List.copyOf(tables), List.copyOf(blocks), end);
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
      TableDigest digest = table == null ? null : new TableDigest(rowHash);
      chunks(digest);
      if (table != null) {
        tables.add(
            new ArchivedTable(
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
