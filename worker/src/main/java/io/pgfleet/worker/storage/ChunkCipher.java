package io.pgfleet.worker.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-GCM of an envelope's chunks, each with a nonce made of its index and a last-chunk flag. */
final class ChunkCipher {
  static final int CHUNK = 64 * 1024;
  static final int TAG = 16;
  static final int NONCE = 12;

  private ChunkCipher() {}

  static byte[] chunkNonce(long index, boolean last) {
    return ByteBuffer.allocate(NONCE).putLong(3, index).put(11, (byte) (last ? 1 : 0)).array();
  }

  static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input)
      throws IOException {
    return gcm(mode, key, nonce, aad, input, 0, input.length);
  }

  static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input, int off, int len)
      throws IOException {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG * 8, nonce));
      if (aad != null) {
        cipher.updateAAD(aad);
      }
      return cipher.doFinal(input, off, len);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new Envelope.EnvelopeException("authentication failed");
    } catch (GeneralSecurityException e) {
      throw new IOException("AES-GCM is not available: " + e.getMessage(), e);
    }
  }
}
