package io.pgfleet.worker.storage;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client-side encryption of a backup as an AES-256-GCM envelope. Each object gets a fresh random
 * data key, stored in the header wrapped (AES-GCM) by a named master key from the worker config.
 * The content follows in 64 KiB chunks, each sealed by AES-GCM with a nonce made of its index and a
 * last-chunk flag (the STREAM construction, as in age): chunks cannot be reordered, dropped or
 * truncated without failing authentication, and memory stays bounded whatever the size.
 *
 * <pre>
 * "PGFENC01" | keyId length (1) | keyId | wrap nonce (12) | wrapped data key (32 + 16 tag)
 * chunk* : ciphertext (<= 64 KiB) | tag (16)
 * </pre>
 */
public final class Envelope {
  public static final String ALGORITHM = "AES-256-GCM-STREAM-64K";
  private static final byte[] MAGIC = "PGFENC01".getBytes(StandardCharsets.US_ASCII);
  private static final int CHUNK = 64 * 1024;
  private static final int TAG = 16;
  private static final int NONCE = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Envelope() {}

  /** A stream that encrypts what is written to {@code out}; close it to seal the last chunk. */
  public static OutputStream encrypt(OutputStream out, String keyId, byte[] masterKey)
      throws IOException {
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    byte[] header = header(keyId);
    byte[] wrapNonce = new byte[NONCE];
    RANDOM.nextBytes(wrapNonce);
    byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, masterKey, wrapNonce, header, dataKey);
    out.write(header);
    out.write(wrapNonce);
    out.write(wrapped);
    return new Sealing(out, dataKey);
  }

  /** The key id an encrypted object names, read from its first bytes; empty if not encrypted. */
  public static Optional<String> keyId(InputStream in) throws IOException {
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!Arrays.equals(magic, MAGIC)) {
      return Optional.empty();
    }
    int length = in.read();
    if (length < 0) {
      throw new EnvelopeException("the envelope header is cut short");
    }
    return Optional.of(new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }

  /**
   * A stream of the plaintext; {@code keys} maps a key id to its bytes (empty when unknown). Fails
   * with {@link EnvelopeException} on a wrong key or any altered byte.
   */
  public static InputStream decrypt(InputStream in, Function<String, Optional<byte[]>> keys)
      throws IOException {
    DataInputStream data = new DataInputStream(in);
    String keyId =
        keyId(data).orElseThrow(() -> new EnvelopeException("the object is not encrypted"));
    byte[] masterKey =
        keys.apply(keyId)
            .orElseThrow(
                () ->
                    new EnvelopeException(
                        "the backup is encrypted with key '"
                            + keyId
                            + "', which this worker does not have: add it to encryption.keys"));
    byte[] wrapNonce = new byte[NONCE];
    byte[] wrapped = new byte[32 + TAG];
    try {
      data.readFully(wrapNonce);
      data.readFully(wrapped);
    } catch (EOFException e) {
      throw new EnvelopeException("the envelope header is cut short");
    }
    byte[] dataKey;
    try {
      dataKey = gcm(Cipher.DECRYPT_MODE, masterKey, wrapNonce, header(keyId), wrapped);
    } catch (IOException e) {
      throw new EnvelopeException(
          "key '"
              + keyId
              + "' does not open this backup: the key's bytes differ from the ones"
              + " it was encrypted with, or the header was altered");
    }
    return new Opening(new PushbackInputStream(in, 1), dataKey);
  }

  /** The envelope is damaged or cannot be opened with the keys at hand. */
  public static final class EnvelopeException extends IOException {
    EnvelopeException(String message) {
      super(message);
    }
  }

  private static byte[] header(String keyId) {
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    if (id.length == 0 || id.length > 255) {
      throw new IllegalArgumentException("a key id is 1-255 bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 1 + id.length);
    return b.put(MAGIC).put((byte) id.length).put(id).array();
  }

  private static byte[] chunkNonce(long index, boolean last) {
    return ByteBuffer.allocate(NONCE).putLong(3, index).put(11, (byte) (last ? 1 : 0)).array();
  }

  private static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input)
      throws IOException {
    return gcm(mode, key, nonce, aad, input, 0, input.length);
  }

  private static byte[] gcm(
      int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input, int off, int len)
      throws IOException {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG * 8, nonce));
      if (aad != null) {
        cipher.updateAAD(aad);
      }
      return cipher.doFinal(input, off, len);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new EnvelopeException("authentication failed");
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }

  /** Buffers one chunk; a full chunk is sealed only once more data shows it is not the last. */
  private static final class Sealing extends FilterOutputStream {
    private final byte[] dataKey;
    private final byte[] buffer = new byte[CHUNK];
    private int filled;
    private long index;
    private boolean closed;

    Sealing(OutputStream out, byte[] dataKey) {
      super(out);
      this.dataKey = dataKey;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        if (filled == CHUNK) {
          seal(false);
        }
        int n = Math.min(len, CHUNK - filled);
        System.arraycopy(b, off, buffer, filled, n);
        filled += n;
        off += n;
        len -= n;
      }
    }

    private void seal(boolean last) throws IOException {
      out.write(
          gcm(Cipher.ENCRYPT_MODE, dataKey, chunkNonce(index++, last), null, buffer, 0, filled));
      filled = 0;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        seal(true);
        out.close();
      }
    }
  }

  /** Opens chunk after chunk; the last one must carry the last-chunk flag. */
  private static final class Opening extends InputStream {
    private final PushbackInputStream in;
    private final byte[] dataKey;
    private byte[] plain = new byte[0];
    private int pos;
    private long index;
    private boolean sawLast;

    Opening(PushbackInputStream in, byte[] dataKey) {
      this.in = in;
      this.dataKey = dataKey;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (pos == plain.length) {
        if (sawLast) {
          return -1;
        }
        next();
      }
      int n = Math.min(len, plain.length - pos);
      System.arraycopy(plain, pos, b, off, n);
      pos += n;
      return n;
    }

    private void next() throws IOException {
      byte[] sealed = in.readNBytes(CHUNK + TAG);
      boolean last = sealed.length < CHUNK + TAG;
      if (!last) {
        int peek = in.read();
        last = peek < 0;
        if (!last) {
          in.unread(peek);
        }
      }
      if (sealed.length < TAG) {
        throw new EnvelopeException("the encrypted content is cut short");
      }
      try {
        plain = gcm(Cipher.DECRYPT_MODE, dataKey, chunkNonce(index, last), null, sealed);
      } catch (EnvelopeException e) {
        throw new EnvelopeException(
            "chunk " + index + " of the encrypted content failed authentication: altered or cut");
      }
      index++;
      pos = 0;
      sawLast = last;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
