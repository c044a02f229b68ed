package io.pgfleet.worker.archive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The content of one table's data as pg_dump writes it in COPY text format: its rows (lines), their
 * bytes, and a hash of them, up to the end-of-data marker {@code \.} (a line that cannot be data,
 * since COPY escapes every backslash). The same rows come out when pg_dump dumps the restored
 * table, so the two results compare.
 *
 * <p>The hash is the sum, modulo 2^128 or 2^256, of every row's {@link RowHash} (each line with its
 * newline): a table is a multiset of rows, and the order a scan returns them in is not content (a
 * synchronized or parallel scan can start anywhere), while one changed, missing or extra row
 * changes the sum.
 */
public final class TableDigest {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte[] BACKSLASH = {'\\'};
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final RowHash.Rows hasher;
  private final long[] sum;
  private final long[] rowHash;
  private long rows;
  private long bytes;
  private boolean atLineStart = true;
  private boolean heldBackslash;
  private boolean ended;
  private Content result;

  public TableDigest(RowHash hash) {
    hasher = hash.rows();
    sum = new long[hash.words()];
    rowHash = new long[hash.words()];
  }

  /**
   * What one table's data holds.
   *
   * @param hash the rows' sum in hex, 32 or 64 digits by its {@link RowHash}
   */
  public record Content(long rows, long bytes, String hash) {
    /**
     * The content of both parts of a table together: rows and bytes add, and so do the hashes (mod
     * 2^128 or 2^256, by their width), so a table read in disjoint parts hashes as if read whole.
     */
    public Content plus(Content other) {
      long[] a = Words.parse(hash);
      long[] b = Words.parse(other.hash);
      if (a.length != b.length) {
        throw new IllegalArgumentException("row sums of two different hashes do not add");
      }
      Words.add(a, b);
      return new Content(rows + other.rows, bytes + other.bytes, Words.hex(a));
    }
  }

  public void update(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end && !ended) {
      if (atLineStart) {
        if (heldBackslash) {
          heldBackslash = false;
          if (b[i] == '.') {
            ended = true;
            return;
          }
          part(BACKSLASH, 0, 1);
          atLineStart = false;
          continue;
        }
        if (b[i] == '\\') {
          heldBackslash = true;
          i++;
          continue;
        }
        atLineStart = false;
      }
      int nl = indexOfNewline(b, i, end);
      if (nl < 0) {
        part(b, i, end - i);
        return;
      }
      endRow(b, i, nl + 1 - i);
      rows++;
      atLineStart = true;
      i = nl + 1;
    }
  }

  /** The content so far; once asked for, the digest is final. */
  public Content result() {
    if (result == null) {
      if (heldBackslash && !ended) {
        part(BACKSLASH, 0, 1);
        heldBackslash = false;
        atLineStart = false;
      }
      if (!atLineStart) {
        endRow(BACKSLASH, 0, 0); // a last line without its newline still counts in the hash
      }
      result = new Content(rows, bytes, Words.hex(sum));
    }
    return result;
  }

  private void part(byte[] b, int off, int len) {
    hasher.part(b, off, len);
    bytes += len;
  }

  private void endRow(byte[] b, int off, int len) {
    hasher.last(b, off, len, rowHash);
    bytes += len;
    Words.add(sum, rowHash);
  }

  /** The first newline in {@code b[from, end)}, eight bytes at a time; -1 if none. */
  private static int indexOfNewline(byte[] b, int from, int end) {
    int i = from;
    for (; i + Long.BYTES <= end; i += Long.BYTES) {
      long w = (long) LONGS.get(b, i) ^ NEWLINES; // a zero byte where b held '\n'
      long zeros = (w - ONES) & ~w & HIGHS; // its lowest set bit marks the first zero byte
      if (zeros != 0) {
        return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
      }
    }
    for (; i < end; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
