package io.pgfleet.worker.storage;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * PUT only if absent ({@code If-None-Match: *}): AWS S3 (since 2024), MinIO and S3Proxy refuse to
 * replace an existing object with 412 Precondition Failed, or with 409 while another conditional
 * write of the same key is in flight. A store that ignores the header replaces it: callers that
 * must never overwrite look the key up first as well. A store that refuses the header itself (501
 * NotImplemented: older MinIO, Ceph RGW, s3gw) gets the plain PUT, as before conditional writes,
 * with a warning once: archiving must not stop because the store is older.
 */
final class ConditionalPuts {
  private static final Logger log = LoggerFactory.getLogger(ConditionalPuts.class);
  private static final AtomicBoolean warned = new AtomicBoolean();

  private ConditionalPuts() {}

  static boolean putIfAbsent(
      S3Client s3,
      String bucket,
      String key,
      byte[] bytes,
      String contentType,
      Map<String, String> metadata) {
    try {
      s3.putObject(
          b ->
              b.bucket(bucket)
                  .key(key)
                  .contentType(contentType)
                  .metadata(metadata)
                  .ifNoneMatch("*"),
          RequestBody.fromBytes(bytes));
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return false;
      }
      if (refusesTheCondition(e)) {
        if (!warned.getAndSet(true)) {
          log.warn(
              "the store refuses conditional writes (If-None-Match: *): s3://{} is written after a"
                  + " lookup only, so a write racing this one could be replaced",
              bucket);
        }
        return plainPut(s3, bucket, key, bytes, contentType, metadata);
      }
      throw failed(bucket, key, e);
    } catch (SdkException e) {
      throw failed(bucket, key, e);
    }
  }

  static boolean refusesTheCondition(S3Exception e) {
    return e.statusCode() == 501
        || (e.awsErrorDetails() != null
            && "NotImplemented".equals(e.awsErrorDetails().errorCode()));
  }

  private static boolean plainPut(
      S3Client s3,
      String bucket,
      String key,
      byte[] bytes,
      String contentType,
      Map<String, String> metadata) {
    try {
      s3.putObject(
          b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata),
          RequestBody.fromBytes(bytes));
      return true;
    } catch (SdkException e) {
      throw failed(bucket, key, e);
    }
  }

  private static StorageException failed(String bucket, String key, SdkException e) {
    return new StorageException(
        "cannot write s3://" + bucket + "/" + key + ": " + StorageErrors.describe(e), e);
  }
}
