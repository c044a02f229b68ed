package io.pgfleet.worker.archive;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The hash each row of a table's COPY data gets before the rows' hashes are summed ({@link
 * TableDigest}). A manifest names the one its backup used, and a drill hashes the restored rows
 * with the same one.
 *
 * <p>XXH3-128 is the default: a row costs it about a sixth of what SHA-256 costs (a short row pays
 * SHA-256's padding block and finalization), and the sum exists to show that the restore put back
 * the rows that were dumped, not to stand against someone who can rewrite the manifest: an attacker
 * who can rewrite the stored object and its manifest can rewrite either sum.
 */
public enum RowHash {
  /** The sum mod 2^256 of each row's SHA-256: every backup before manifest version 2. */
  SHA256_SUM("sha256-sum", 4),
  /** The sum mod 2^128 of each row's XXH3-128 (seed 0). */
  XXH3_128_SUM("xxh3-128-sum", 2);

  /** What new backups use. */
  public static final RowHash CURRENT = XXH3_128_SUM;

  private final String manifestName;
  private final int words;

  RowHash(String manifestName, int words) {
    this.manifestName = manifestName;
    this.words = words;
  }

  /** The name a manifest records. */
  public String manifestName() {
    return manifestName;
  }

  /** The sum's width in 64-bit words. */
  int words() {
    return words;
  }

  /** The hash a manifest names; a manifest that names none was written with SHA-256 sums. */
  public static Optional<RowHash> named(String manifestName) {
    if (manifestName == null) {
      return Optional.of(SHA256_SUM);
    }
    return Arrays.stream(values()).filter(h -> h.manifestName.equals(manifestName)).findFirst();
  }

  /** Hashes one row at a time, fed in pieces; not thread-safe. */
  interface Rows {
    /** Bytes of the current row, more to come. */
    void part(byte[] b, int off, int len);

    /**
     * The current row's last bytes (maybe none): its hash goes into {@code into}, words[0] high.
     */
    void last(byte[] b, int off, int len, long[] into);
  }

  Rows rows() {
    return this == SHA256_SUM ? new Sha256Rows() : new Xxh3Rows();
  }

  private static final class Sha256Rows implements Rows {
    private final MessageDigest sha256;
    private final byte[] hash = new byte[32];

    Sha256Rows() {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-256", e);
      }
    }

    @Override
    public void part(byte[] b, int off, int len) {
      sha256.update(b, off, len);
    }

    @Override
    public void last(byte[] b, int off, int len, long[] into) {
      sha256.update(b, off, len);
      try {
        sha256.digest(hash, 0, hash.length); // in place: a row's hash is garbage a million times
      } catch (DigestException e) {
        throw new IllegalStateException("SHA-256 did not fit 32 bytes", e);
      }
      for (int w = 0; w < 4; w++) {
        into[w] = Words.bigEndian(hash, w * Long.BYTES);
      }
    }
  }

  private static final class Xxh3Rows implements Rows {
    private static final Hasher128 XXH3 = Hashing.xxh3_128();
    private final HashStream128 stream = XXH3.hashStream();
    private boolean pending;

    @Override
    public void part(byte[] b, int off, int len) {
      stream.putBytes(b, off, len);
      pending = true;
    }

    @Override
    public void last(byte[] b, int off, int len, long[] into) {
      HashValue128 h;
      if (pending) { // the row crossed a chunk: only now is it whole
        stream.putBytes(b, off, len);
        h = stream.get();
        stream.reset();
        pending = false;
      } else {
        h = XXH3.hashBytesTo128Bits(b, off, len);
      }
      into[0] = h.getMostSignificantBits();
      into[1] = h.getLeastSignificantBits();
    }
  }
}
