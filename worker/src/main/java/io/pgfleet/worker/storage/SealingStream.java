package io.pgfleet.worker.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import javax.crypto.Cipher;

/** Buffers one chunk; a full chunk is sealed only once more data shows it is not the last. */
final class SealingStream extends FilterOutputStream {
  private final byte[] dataKey;
  private final byte[] buffer = new byte[ChunkCipher.CHUNK];
  private int filled;
  private long index;
  private boolean closed;

  SealingStream(OutputStream out, byte[] dataKey) {
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
      if (filled == ChunkCipher.CHUNK) {
        seal(false);
      }
      int n = Math.min(len, ChunkCipher.CHUNK - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      off += n;
      len -= n;
    }
  }

  private void seal(boolean last) throws IOException {
    out.write(
        ChunkCipher.gcm(
            Cipher.ENCRYPT_MODE,
            dataKey,
            ChunkCipher.chunkNonce(index++, last),
            null,
            buffer,
            0,
            filled));
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
