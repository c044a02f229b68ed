package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.archive.RowHash;
import io.pgfleet.worker.archive.TableDigest;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.storage.Manifest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which restored tables the drill reads back in parts side by side ({@link SplitTableRead}) rather
 * than with one pg_dump: those of a UTF8 archive (the JDBC session's encoding) holding at least
 * {@code minBytes} of COPY text, on a server of 14 or later (TID range scans). While pg_restore
 * runs a table is read in {@code jobs} parts (the cores the restore was given); once it is over, in
 * at least two, since nothing else runs then. A table that would be read in one part is left to
 * pg_dump: one part gains nothing.
 */
record LargeTableReads(
    SplitTableRead.Connections connections,
    String encoding,
    RowHash rowHash,
    int jobs,
    long minBytes,
    long minPartPages,
    AtomicInteger readInParts,
    int serverMajor) {
  /** The first major version with TID range scans. */
  static final int MIN_SERVER_MAJOR = 14;

  /** Below this, a second connection and a snapshot cost more than half a read saves. */
  static final long MIN_BYTES = 8L << 20;

  /** 4 MB of pages at least in each part. */
  static final long MIN_PART_PAGES = 512;

  static LargeTableReads of(
      SplitTableRead.Connections connections,
      String encoding,
      RowHash rowHash,
      int jobs,
      int serverMajor) {
    return new LargeTableReads(
        connections,
        encoding,
        rowHash,
        jobs,
        MIN_BYTES,
        MIN_PART_PAGES,
        new AtomicInteger(),
        serverMajor);
  }

  boolean large(Manifest.TableCount table) {
    return serverMajor >= MIN_SERVER_MAJOR
        && "UTF8".equalsIgnoreCase(encoding)
        && table.bytes() != null
        && table.bytes() >= minBytes;
  }

  /**
   * The table's content read in parts, or empty when pg_dump must read it ({@link
   * SplitTableRead#read}).
   */
  Optional<TableDigest.Content> read(
      Manifest.TableCount table, boolean restoreOver, Cancellation cancellation)
      throws ProcedureFailure, InterruptedException {
    int parts = restoreOver ? Math.max(2, jobs) : Math.max(1, jobs);
    if (parts < 2) {
      return Optional.empty();
    }
    Optional<SplitTableRead.Read> read =
        SplitTableRead.read(
            connections,
            table.schema(),
            table.table(),
            rowHash,
            parts,
            minPartPages,
            2,
            cancellation);
    if (read.isPresent() && read.get().parts() > 1) {
      readInParts.incrementAndGet();
    }
    return read.map(SplitTableRead.Read::content);
  }

  /** How many tables were read in more than one part. */
  int tablesReadInParts() {
    return readInParts.get();
  }
}
