package io.pgfleet.worker.archive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The content of one table's data as pg_dump writes it in COPY text format: its rows (lines), their
 * bytes, and a hash of them, up to the end-of-data marker {@code \.} (a line that cannot be data,
 * since COPY escapes every backslash). The same rows come out when pg_dump dumps the restored
 * table, so the two results compare.
 *
 * <p>The hash is the sum, modulo 2^256, of every row's sha256 (each line with its newline): a table
 * is a multiset of rows, and the order a scan returns them in is not content (a synchronized or
 * parallel scan can start anywhere), while one changed, missing or extra row changes the sum.
 */
public final class TableDigest {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle BIG_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final byte[] BACKSLASH = {'\\'};
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final MessageDigest sha256;
  private final byte[] sum = new byte[32];
  private final byte[] rowHash = new byte[32];
  private long rows;
  private long bytes;
  private boolean atLineStart = true;
  private boolean heldBackslash;
  private boolean ended;
  private Content result;

  public TableDigest() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** What one table's data holds. */
  public record Content(long rows, long bytes, String sha256) {
    /**
     * The content of both parts of a table together: rows and bytes add, and so do the hashes (mod
     * 2^256), so a table read in disjoint parts hashes as if read whole.
     */
    public Content plus(Content other) {
      byte[] a = HexFormat.of().parseHex(sha256);
      byte[] b = HexFormat.of().parseHex(other.sha256);
      add(a, b);
      return new Content(rows + other.rows, bytes + other.bytes, HexFormat.of().formatHex(a));
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
          feed(BACKSLASH, 0, 1);
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
        feed(b, i, end - i);
        return;
      }
      feed(b, i, nl + 1 - i);
      endRow();
      rows++;
      atLineStart = true;
      i = nl + 1;
    }
  }

  /** The content so far; once asked for, the digest is final. */
  public Content result() {
    if (result == null) {
      if (heldBackslash && !ended) {
        feed(BACKSLASH, 0, 1);
        heldBackslash = false;
        atLineStart = false;
      }
      if (!atLineStart) {
        endRow(); // a last line without its newline still counts in the hash
      }
      result = new Content(rows, bytes, HexFormat.of().formatHex(sum));
    }
    return result;
  }

  /** Adds the finished row's sha256 to the sum (big-endian, carry dropped past 256 bits). */
  private void endRow() {
    byte[] h = rowHash; // digested in place: one row's hash is garbage a million times over
    try {
      sha256.digest(h, 0, h.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 did not fit 32 bytes", e);
    }
    add(sum, h);
  }

  /** {@code sum += h}, both 32 bytes big-endian, the carry past 256 bits dropped. */
  private static void add(byte[] sum, byte[] h) {
    long carry = 0; // the sum as four big-endian longs, least significant last
    for (int i = 24; i >= 0; i -= Long.BYTES) {
      long a = (long) BIG_LONGS.get(sum, i);
      long b = (long) BIG_LONGS.get(h, i);
      long v = a + b + carry;
      carry = Long.compareUnsigned(v, a) < 0 || (carry != 0 && v == a) ? 1 : 0;
      BIG_LONGS.set(sum, i, v);
    }
  }

  private void feed(byte[] b, int off, int len) {
    sha256.update(b, off, len);
    bytes += len;
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
