package io.pgfleet.worker.procedure.backup;

import io.pgfleet.worker.archive.ArchiveCuts;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Runs the stored encoding (zstd, the pieces' and the object's sha256, the copy into upload parts)
 * on a thread of its own, so that it overlaps reading the archive and hashing its rows, as {@code
 * zstd -T1} overlaps compressing with reading its input. Bytes and cuts reach the encoding in the
 * order they were written here; at most {@value #QUEUED} chunks of {@value #CHUNK} bytes wait.
 *
 * <p>How far the run is counts what the encoding has taken ({@code onEncoded}, called on its
 * thread), not what was queued: the queue fills at once, and a slow store paces the encoding.
 *
 * <p>{@link #close()} waits for the encoding to take everything and rethrows its failure; it does
 * not close {@code sink}, which the caller closes afterwards on its own thread.
 */
final class EncodingThread extends OutputStream implements ArchiveCuts {
  static final int CHUNK = 256 * 1024;
  static final int QUEUED = 16;

  /** Bytes to write, or a cut at {@code offset} when {@code data} is null. */
  private record Item(byte[] data, int length, long offset) {}

  private static final Item END = new Item(null, -1, -1);

  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUED);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(QUEUED + 2);
  private final OutputStream sink;
  private final ArchiveCuts cuts;
  private final LongConsumer onEncoded;
  private final Thread thread;
  private volatile Throwable failure;
  private volatile boolean reachedEnd;
  private byte[] current;
  private int filled;
  private boolean closed;

  EncodingThread(OutputStream sink, ArchiveCuts cuts, LongConsumer onEncoded, String name) {
    this.sink = sink;
    this.cuts = cuts;
    this.onEncoded = onEncoded;
    this.thread = new Thread(this::encode, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (current == null) {
        current = buffer();
        filled = 0;
      }
      int n = Math.min(len, CHUNK - filled);
      System.arraycopy(b, off, current, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == CHUNK) {
        handOver();
      }
    }
  }

  @Override
  public void cut(long archiveOffset) throws IOException {
    handOver();
    put(new Item(null, 0, archiveOffset));
  }

  /**
   * Hands over what is written, waits for the encoding to take it all, rethrows its failure. The
   * end is handed over even when the rest cannot be, so the encoding thread always ends.
   */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException unsent = null;
    try {
      handOver();
    } catch (IOException e) {
      unsent = e;
    }
    try {
      while (!queue.offer(END, 100, TimeUnit.MILLISECONDS) && thread.isAlive()) {
        // the encoding keeps taking items, even after a failure
      }
      thread.join();
    } catch (InterruptedException e) {
      thread.interrupt();
      awaitEncodingThread();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the encoding finished");
    }
    rethrow();
    if (unsent != null) {
      throw unsent;
    }
    if (!reachedEnd) {
      throw new IOException("the archive's encoding thread ended before the end of the archive");
    }
  }

  /** After an interrupt: the caller must not close the sink while the encoding still writes it. */
  private void awaitEncodingThread() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (thread.isAlive() && System.nanoTime() < deadline) {
      try {
        thread.join(100);
      } catch (InterruptedException again) {
        // keep waiting: the interrupt is restored by the caller
      }
    }
  }

  private void handOver() throws IOException {
    if (current != null && filled > 0) {
      put(new Item(current, filled, -1));
      current = null;
    }
  }

  private byte[] buffer() {
    byte[] b = free.poll();
    return b != null ? b : new byte[CHUNK];
  }

  private void put(Item item) throws IOException {
    try {
      while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
        rethrow();
        if (!thread.isAlive()) {
          throw new IOException("the archive's encoding thread ended");
        }
      }
      rethrow();
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing the archive to its encoding");
    }
  }

  private void rethrow() throws IOException {
    Throwable t = failure;
    if (t instanceof IOException io) {
      throw new IOException(io.getMessage(), io);
    } else if (t != null) {
      throw new IOException("encoding the archive failed: " + t, t);
    }
  }

  /** The encoding's loop: after a failure it keeps taking items, so the writer never blocks. */
  private void encode() {
    long encoded = 0;
    try {
      for (Item item = queue.take(); item != END; item = queue.take()) {
        if (failure != null) {
          continue;
        }
        try {
          if (item.data() == null) {
            cuts.cut(item.offset());
          } else {
            sink.write(item.data(), 0, item.length());
            free.offer(item.data());
            encoded += item.length();
            onEncoded.accept(encoded);
          }
        } catch (Throwable e) { // an Error too: a dead thread must never look like a finished one
          failure = e;
        }
      }
      reachedEnd = true;
    } catch (InterruptedException e) {
      failure = new InterruptedIOException("the encoding was interrupted");
    }
  }
}
