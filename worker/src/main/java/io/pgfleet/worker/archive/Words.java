package io.pgfleet.worker.archive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;

/** A row sum as 64-bit words, most significant first, and its hex form in a manifest. */
final class Words {
  private static final VarHandle BIG_LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Words() {}

  static long bigEndian(byte[] b, int off) {
    return (long) BIG_LONGS.get(b, off);
  }

  /** {@code sum += h}, word by word from the last, the carry past the first word dropped. */
  static void add(long[] sum, long[] h) {
    long carry = 0;
    for (int i = sum.length - 1; i >= 0; i--) {
      long a = sum[i];
      long v = a + h[i] + carry;
      carry = Long.compareUnsigned(v, a) < 0 || (carry != 0 && v == a) ? 1 : 0;
      sum[i] = v;
    }
  }

  static String hex(long[] words) {
    StringBuilder s = new StringBuilder(words.length * 16);
    for (long w : words) {
      s.append(HexFormat.of().toHexDigits(w));
    }
    return s.toString();
  }

  /** The words of a sum's hex form; its length says how many. */
  static long[] parse(String hex) {
    if (hex.length() % 16 != 0 || hex.isEmpty()) {
      throw new IllegalArgumentException("a row sum is a multiple of 16 hex digits: " + hex);
    }
    long[] words = new long[hex.length() / 16];
    for (int i = 0; i < words.length; i++) {
      words[i] = HexFormat.fromHexDigitsToLong(hex, i * 16, i * 16 + 16);
    }
    return words;
  }
}
