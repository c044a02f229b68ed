package io.pgfleet.worker.storage;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Looks objects up without reading them: a missing object is an empty answer, not an error. */
final class ObjectHeads {
  private ObjectHeads() {}

  static Optional<HeadObjectResponse> head(S3Client s3, String bucket, String key) {
    try {
      return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw lookupFailed(bucket, key, e);
    } catch (SdkException e) {
      throw lookupFailed(bucket, key, e);
    }
  }

  static boolean missing(SdkException e) {
    return e instanceof NoSuchKeyException
        || (e instanceof S3Exception s3 && s3.statusCode() == 404);
  }

  private static StorageException lookupFailed(String bucket, String key, SdkException e) {
    return new StorageException(
        "cannot look up s3://" + bucket + "/" + key + ": " + StorageErrors.describe(e), e);
  }
}
