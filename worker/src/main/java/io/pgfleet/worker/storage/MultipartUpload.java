package io.pgfleet.worker.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Streams bytes of unknown length into one S3 object as a multipart upload, computing sha256 as
 * they pass. Memory is bounded by the part buffers (in flight plus the one being filled); nothing
 * touches the local disk. The object appears only on {@link #complete()}; {@link #abort()} leaves
 * nothing behind.
 */
public final class MultipartUpload extends OutputStream {
  private static final int PARTS_IN_FLIGHT = 2;

  /** Part buffers one upload uses at most: those in flight and the one being filled. */
  static final int BUFFERS = PARTS_IN_FLIGHT + 1;

  private final UploadParts s3;
  private final String key;
  private final ExecutorService uploader;
  private final PartBuffers buffers;
  private final int partSize;
  private final Throttle throttle;
  private final MessageDigest sha256;
  private final BlockingQueue<byte[]> freeBuffers;
  private final List<Future<CompletedPart>> parts = new ArrayList<>();
  private final AtomicLong bytesUploaded = new AtomicLong();
  private byte[] current;
  private int filled;
  private long bytesWritten;
  private boolean finished;

  MultipartUpload(
      S3Client s3,
      String bucket,
      String key,
      String uploadId,
      ExecutorService uploader,
      PartBuffers buffers,
      Throttle throttle) {
    this.throttle = throttle;
    this.s3 = new UploadParts(s3, bucket, key, uploadId);
    this.key = key;
    this.uploader = uploader;
    this.buffers = buffers;
    this.partSize = buffers.partSize();
    this.sha256 = newSha256();
    this.freeBuffers = new ArrayBlockingQueue<>(BUFFERS);
    for (int i = 0; i < BUFFERS; i++) {
      freeBuffers.add(new byte[0]); // taken from the shared buffers on first use
    }
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    ensureOpen();
    try {
      throttle.acquire(len);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("upload of " + key + " interrupted");
    }
    sha256.update(b, off, len);
    bytesWritten += len;
    while (len > 0) {
      if (current == null) {
        current = takeBuffer();
        filled = 0;
      }
      int n = Math.min(len, partSize - filled);
      System.arraycopy(b, off, current, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == partSize) {
        submitPart();
      }
    }
  }

  /** An upload S3 still holds open: begun, neither completed nor aborted. */
  public record Open(String key, String uploadId) {}

  static java.util.List<Open> listOpen(S3Client s3, String bucket, String prefix) {
    return s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(prefix)).uploads().stream()
        .map(u -> new Open(u.key(), u.uploadId()))
        .toList();
  }

  /** Bytes accepted so far. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** Bytes S3 has acknowledged so far. */
  public long bytesUploaded() {
    return bytesUploaded.get();
  }

  /** Uploads what is left and completes the object; returns its size and sha256. */
  public StoredObject complete() throws IOException {
    ensureOpen();
    if (filled > 0 || parts.isEmpty()) {
      submitPart();
    }
    List<CompletedPart> completed = new ArrayList<>();
    for (Future<CompletedPart> part : parts) {
      completed.add(await(part));
    }
    s3.complete(completed);
    finished = true;
    keepBuffers();
    return new StoredObject(
        s3.bucket(), key, bytesWritten, HexFormat.of().formatHex(sha256.digest()));
  }

  /** Abandons the upload: S3 discards every part; no object appears. Safe to call twice. */
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    parts.forEach(p -> p.cancel(true));
    s3.abort();
    keepBuffers();
  }

  /** Leaves the buffers no part is using any more to the next upload. */
  private void keepBuffers() {
    for (byte[] b = freeBuffers.poll(); b != null; b = freeBuffers.poll()) {
      buffers.give(b);
    }
  }

  /** Closing without {@link #complete()} aborts: an unfinished stream never becomes an object. */
  @Override
  public void close() {
    abort();
  }

  private void submitPart() throws IOException {
    byte[] buffer = current == null ? new byte[0] : current;
    int length = current == null ? 0 : filled;
    int partNumber = parts.size() + 1;
    current = null;
    filled = 0;
    parts.add(uploader.submit(() -> uploadPart(partNumber, buffer, length)));
  }

  private CompletedPart uploadPart(int partNumber, byte[] buffer, int length) {
    try {
      CompletedPart part = s3.upload(partNumber, buffer, length);
      bytesUploaded.addAndGet(length);
      return part;
    } finally {
      freeBuffers.offer(buffer);
    }
  }

  private byte[] takeBuffer() throws IOException {
    try {
      byte[] buffer = freeBuffers.take();
      failFastOnBrokenPart();
      return buffer.length == partSize ? buffer : buffers.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for an upload slot", e);
    }
  }

  private void failFastOnBrokenPart() throws IOException {
    for (Future<CompletedPart> part : parts) {
      if (part.isDone()) {
        await(part);
      }
    }
  }

  private static CompletedPart await(Future<CompletedPart> part) throws IOException {
    try {
      return part.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while uploading", e);
    } catch (ExecutionException e) {
      throw new IOException(
          "uploading a part failed: " + StorageErrors.describe(e.getCause()), e.getCause());
    }
  }

  private void ensureOpen() throws IOException {
    if (finished) {
      throw new IOException("upload of " + key + " is already finished");
    }
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
