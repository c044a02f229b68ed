package io.pgfleet.worker.storage;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Cipher;

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
  private static final SecureRandom RANDOM = new SecureRandom();

  private Envelope() {}

  /** A stream that encrypts what is written to {@code out}; close it to seal the last chunk. */
  public static OutputStream encrypt(OutputStream out, String keyId, byte[] masterKey)
      throws IOException {
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    byte[] header = header(keyId);
    byte[] wrapNonce = new byte[ChunkCipher.NONCE];
    RANDOM.nextBytes(wrapNonce);
    byte[] wrapped = ChunkCipher.gcm(Cipher.ENCRYPT_MODE, masterKey, wrapNonce, header, dataKey);
    out.write(header);
    out.write(wrapNonce);
    out.write(wrapped);
    return new SealingStream(out, dataKey);
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
    byte[] wrapNonce = new byte[ChunkCipher.NONCE];
    byte[] wrapped = new byte[32 + ChunkCipher.TAG];
    try {
      data.readFully(wrapNonce);
      data.readFully(wrapped);
    } catch (EOFException e) {
      throw new EnvelopeException("the envelope header is cut short");
    }
    byte[] dataKey;
    try {
      dataKey = ChunkCipher.gcm(Cipher.DECRYPT_MODE, masterKey, wrapNonce, header(keyId), wrapped);
    } catch (IOException e) {
      throw new EnvelopeException(
          "key '"
              + keyId
              + "' does not open this backup: the key's bytes differ from the ones"
              + " it was encrypted with, or the header was altered");
    }
    return new OpeningStream(new PushbackInputStream(in, 1), dataKey);
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
}
