package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.storage.MultipartUpload;
import io.pgfleet.worker.storage.StoredObject;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * One S3 object of an archive being written: gzip-compressed CSV streamed into a multipart upload,
 * and the key ranges whose rows it holds (deleted once the object is complete and verified).
 */
final class ArchiveSegment {
  private static final int BUFFER = 1 << 16;

  final int number;
  final String key;
  final Instant startedAt;
  final List<KeyRange> ranges = new ArrayList<>();
  long rows;
  private final MultipartUpload upload;
  private final GZIPOutputStream gzip;
  private boolean started;

  ArchiveSegment(int number, String key, MultipartUpload upload, Instant startedAt)
      throws IOException {
    this.number = number;
    this.key = key;
    this.upload = upload;
    this.startedAt = startedAt;
    this.gzip = new GZIPOutputStream(new BufferedOutputStream(upload, BUFFER), BUFFER);
  }

  /** Where COPY writes CSV; never close it (closing the upload would abort it). */
  OutputStream csv() {
    return gzip;
  }

  /** True the first time: the first COPY into a segment writes the CSV header line. */
  boolean firstCopy() {
    boolean first = !started;
    started = true;
    return first;
  }

  /** Finishes the gzip stream and completes the upload: the object exists from here on. */
  StoredObject complete() throws IOException {
    gzip.finish();
    gzip.flush();
    return upload.complete();
  }

  /** Abandons the upload; no object appears. */
  void abort() {
    upload.abort();
  }
}
