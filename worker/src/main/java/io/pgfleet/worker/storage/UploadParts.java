package io.pgfleet.worker.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** The S3 calls of one open multipart upload: send a part, complete, abort. */
final class UploadParts {
  private static final Logger log = LoggerFactory.getLogger(UploadParts.class);
  private final S3Client s3;
  private final String bucket;
  private final String key;
  private final String uploadId;

  UploadParts(S3Client s3, String bucket, String key, String uploadId) {
    this.s3 = s3;
    this.bucket = bucket;
    this.key = key;
    this.uploadId = uploadId;
  }

  String bucket() {
    return bucket;
  }

  /**
   * Sends {@code length} bytes of {@code buffer} as one part. The body reads the buffer in place (a
   * new stream per attempt): {@code RequestBody.fromRemainingByteBuffer} would copy every part into
   * a fresh array, a part-sized humongous allocation per part that makes the JVM grow its heap as a
   * backup goes on.
   */
  CompletedPart upload(int partNumber, byte[] buffer, int length) {
    String etag =
        s3.uploadPart(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .contentLength((long) length),
                RequestBody.fromContentProvider(
                    () -> new ByteArrayInputStream(buffer, 0, length),
                    length,
                    "application/octet-stream"))
            .eTag();
    return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
  }

  void complete(List<CompletedPart> parts) throws IOException {
    try {
      s3.completeMultipartUpload(
          b -> b.bucket(bucket).key(key).uploadId(uploadId).multipartUpload(u -> u.parts(parts)));
    } catch (SdkException e) {
      throw new IOException(
          "completing the upload of " + key + " failed: " + StorageErrors.describe(e), e);
    }
  }

  void abort() {
    try {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      // S3 is unreachable: the next attempt for this key aborts the upload (ArtifactStore.upload)
      log.warn("cannot abort the upload of {} now: {}", key, e.getMessage());
    }
  }
}
