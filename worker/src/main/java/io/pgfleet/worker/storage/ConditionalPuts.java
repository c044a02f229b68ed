package io.pgfleet.worker.storage;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Single-request PUTs of one store, plain or only if absent ({@code If-None-Match: *}): AWS S3
 * (since 2024), MinIO and S3Proxy refuse to replace an existing object with 412 Precondition
 * Failed, or with 409 while another conditional write of the same key is in flight. A store that
 * ignores the header replaces it: callers that must never overwrite look the key up first as well.
 * A store that refuses the header itself (501 NotImplemented: older MinIO, Ceph RGW, s3gw) gets the
 * plain PUT, as before conditional writes, with a warning once per process: archiving must not stop
 * because the store is older. The refusal is remembered, so later writes through this store send
 * the plain PUT alone.
 */
final class ConditionalPuts {
  private static final Logger log = LoggerFactory.getLogger(ConditionalPuts.class);
  private static final AtomicBoolean warned = new AtomicBoolean();

  private final S3Client s3;
  private final String bucket;
  private volatile boolean conditionRefused;

  ConditionalPuts(S3Client s3, String bucket) {
    this.s3 = s3;
    this.bucket = bucket;
  }

  /** Writes the object, replacing any object of that key. */
  void put(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
    try {
      send(key, bytes, contentType, metadata, false);
    } catch (SdkException e) {
      throw failed(key, e);
    }
  }

  /** Writes the object unless the key exists; false when the store refused for that reason. */
  boolean putIfAbsent(String key, byte[] bytes, String contentType, Map<String, String> metadata) {
    if (conditionRefused) {
      put(key, bytes, contentType, metadata);
      return true;
    }
    try {
      send(key, bytes, contentType, metadata, true);
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        return false;
      }
      if (!refusesTheCondition(e)) {
        throw failed(key, e);
      }
      conditionRefused = true;
      if (!warned.getAndSet(true)) {
        log.warn(
            "the store refuses conditional writes (If-None-Match: *): s3://{} is written after a"
                + " lookup only, so a write racing this one could be replaced",
            bucket);
      }
      put(key, bytes, contentType, metadata);
      return true;
    } catch (SdkException e) {
      throw failed(key, e);
    }
  }

  static boolean refusesTheCondition(S3Exception e) {
    return e.statusCode() == 501
        || (e.awsErrorDetails() != null
            && "NotImplemented".equals(e.awsErrorDetails().errorCode()));
  }

  private void send(
      String key,
      byte[] bytes,
      String contentType,
      Map<String, String> metadata,
      boolean onlyIfAbsent) {
    PutObjectRequest.Builder request =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key)
            .contentType(contentType)
            .metadata(metadata);
    if (onlyIfAbsent) {
      request.ifNoneMatch("*");
    }
    s3.putObject(request.build(), RequestBody.fromBytes(bytes));
  }

  private StorageException failed(String key, SdkException e) {
    return new StorageException(
        "cannot write s3://" + bucket + "/" + key + ": " + StorageErrors.describe(e), e);
  }
}
