package io.pgfleet.worker.archive;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads an archive for the scanner and passes every byte it consumed on to {@code out}, unchanged
 * and in order. Consumed bytes are written lazily; {@link #flush()} writes them all, so a caller
 * can cut the output exactly where the scanner stands.
 */
final class ArchiveInput {
  private static final int MAX_STRING = 256 * 1024 * 1024;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] buf;
  private int pos;
  private int limit;
  private int written;
  private long bufferStart;

  ArchiveInput(InputStream in, OutputStream out, int bufferSize) {
    this.in = in;
    this.out = out;
    this.buf = new byte[bufferSize];
  }

  /** Offset in the archive of the next byte to read. */
  long offset() {
    return bufferStart + pos;
  }

  /** Writes every consumed byte to the output. */
  void flush() throws IOException {
    if (pos > written) {
      out.write(buf, written, pos - written);
      written = pos;
    }
  }

  /** Whether the archive has ended (no byte left to read). */
  boolean atEnd() throws IOException {
    return pos == limit && !fill();
  }

  int readByte() throws IOException {
    if (pos == limit && !fill()) {
      throw new EOFException("the archive ends early");
    }
    return buf[pos++] & 0xff;
  }

  /** pg_dump's integer: a sign byte, then {@code size} bytes, least significant first. */
  long readInt(int size) throws IOException {
    int sign = readByte();
    long value = 0;
    for (int i = 0; i < size; i++) {
      value |= ((long) readByte()) << (8 * i);
    }
    return sign == 0 ? value : -value;
  }

  /** pg_dump's string: a length (negative for NULL), then the bytes. */
  String readString(int intSize) throws IOException {
    long length = readInt(intSize);
    if (length < 0) {
      return null;
    }
    if (length > MAX_STRING) {
      throw new IOException("a string of " + length + " bytes: not a custom archive");
    }
    byte[] s = new byte[(int) length];
    for (int i = 0; i < s.length; ) {
      if (pos == limit && !fill()) {
        throw new EOFException("the archive ends early");
      }
      int n = Math.min(s.length - i, limit - pos);
      System.arraycopy(buf, pos, s, i, n);
      pos += n;
      i += n;
    }
    return new String(s, StandardCharsets.UTF_8);
  }

  /** Consumes {@code length} bytes, handing them to {@code data} in slices of the buffer. */
  void readInto(long length, Slices data) throws IOException {
    long left = length;
    while (left > 0) {
      if (pos == limit && !fill()) {
        throw new EOFException("the archive ends early");
      }
      int n = (int) Math.min(left, limit - pos);
      data.accept(buf, pos, n);
      pos += n;
      left -= n;
    }
  }

  /** Passes the rest of the input through, unread. */
  void passRest() throws IOException {
    while (pos < limit || fill()) {
      pos = limit;
    }
    flush();
  }

  private boolean fill() throws IOException {
    flush();
    bufferStart += limit;
    pos = 0;
    limit = 0;
    written = 0;
    int n = in.read(buf, 0, buf.length);
    if (n <= 0) {
      return false;
    }
    limit = n;
    return true;
  }

  /** Receives consumed bytes. */
  interface Slices {
    void accept(byte[] b, int off, int len) throws IOException;
  }
}
