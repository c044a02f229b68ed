package io.pgfleet.worker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import javax.crypto.Cipher;

/** Opens chunk after chunk; the last one must carry the last-chunk flag. */
final class OpeningStream extends InputStream {
  private final PushbackInputStream in;
  private final byte[] dataKey;
  private byte[] plain = new byte[0];
  private int pos;
  private long index;
  private boolean sawLast;

  OpeningStream(PushbackInputStream in, byte[] dataKey) {
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
    byte[] sealed = in.readNBytes(ChunkCipher.CHUNK + ChunkCipher.TAG);
    boolean last = sealed.length < ChunkCipher.CHUNK + ChunkCipher.TAG;
    if (!last) {
      int peek = in.read();
      last = peek < 0;
      if (!last) {
        in.unread(peek);
      }
    }
    if (sealed.length < ChunkCipher.TAG) {
      throw new Envelope.EnvelopeException("the encrypted content is cut short");
    }
    try {
      plain =
          ChunkCipher.gcm(
              Cipher.DECRYPT_MODE, dataKey, ChunkCipher.chunkNonce(index, last), null, sealed);
    } catch (Envelope.EnvelopeException e) {
      throw new Envelope.EnvelopeException(
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
