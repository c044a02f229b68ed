package io.pgfleet.worker.storage;

import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.StorageTimeouts;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Artifacts in an S3-compatible bucket: streamed uploads, small objects, reads. */
public final class ArtifactStore implements AutoCloseable {
  private final S3Client s3;
  private final String bucket;
  private final ArtifactKeys keys;
  private final int partSize;
  private final long maxBytesPerSecond;
  private final ExecutorService uploader =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "pgfleet-s3-upload");
            t.setDaemon(true);
            return t;
          });

  public ArtifactStore(
      S3Client s3, String bucket, ArtifactKeys keys, int partSize, long maxBytesPerSecond) {
    this.s3 = s3;
    this.bucket = bucket;
    this.keys = keys;
    this.partSize = partSize;
    this.maxBytesPerSecond = maxBytesPerSecond;
  }

  /**
   * A client whose every S3 operation gives up within {@code settings.timeouts().call()}, retries
   * included: a store that accepts connections and never answers, or answers at a crawl, fails the
   * caller instead of holding it (see {@link StorageTimeouts}).
   */
  public static ArtifactStore connect(StorageSettings settings) {
    StorageTimeouts timeouts = settings.timeouts();
    var builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials(settings))
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(32)
                    .connectionTimeout(timeouts.connect())
                    .connectionAcquisitionTimeout(timeouts.attempt())
                    .socketTimeout(timeouts.read()))
            .overrideConfiguration(
                o -> o.apiCallAttemptTimeout(timeouts.attempt()).apiCallTimeout(timeouts.call()));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return new ArtifactStore(
        builder.build(),
        settings.bucket(),
        new ArtifactKeys(settings.prefix()),
        settings.partSizeBytes(),
        settings.maxBytesPerSecond());
  }

  private static AwsCredentialsProvider credentials(StorageSettings s) {
    if (s.accessKey() == null || s.secretKey() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(s.accessKey().reveal(), s.secretKey().reveal()));
  }

  public ArtifactKeys keys() {
    return keys;
  }

  public String bucket() {
    return bucket;
  }

  public S3Client client() {
    return s3;
  }

  /**
   * Starts a streamed upload; the caller must {@code complete()} or {@code abort()} it. Uploads to
   * the same key left open by an earlier attempt (a worker killed mid-run) are aborted first: the
   * caller holds the command's lease, so they can only belong to dead attempts.
   */
  public MultipartUpload upload(String key, String contentType) {
    return upload(key, contentType, null);
  }

  /**
   * Starts a streamed upload, asking S3 to encrypt the object at rest when {@code
   * serverSideEncryption} ({@code AES256} or {@code aws:kms}) is set.
   */
  public MultipartUpload upload(String key, String contentType, String serverSideEncryption) {
    try {
      abortOpenUploads(key);
      var request =
          CreateMultipartUploadRequest.builder().bucket(bucket).key(key).contentType(contentType);
      if (serverSideEncryption != null) {
        request.serverSideEncryption(serverSideEncryption);
      }
      String uploadId = s3.createMultipartUpload(request.build()).uploadId();
      return new MultipartUpload(
          s3, bucket, key, uploadId, uploader, partSize, new Throttle(maxBytesPerSecond));
    } catch (SdkException e) {
      throw new StorageException(
          "cannot start an upload to " + uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  /** Aborts every multipart upload still open for exactly this key; returns how many. */
  public int abortOpenUploads(String key) {
    int aborted = 0;
    for (MultipartUpload.Open open : MultipartUpload.listOpen(s3, bucket, key)) {
      if (open.key().equals(key)) {
        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(open.uploadId()));
        aborted++;
      }
    }
    return aborted;
  }

  public void put(String key, byte[] bytes, String contentType) {
    put(key, bytes, contentType, null);
  }

  public void put(String key, byte[] bytes, String contentType, String serverSideEncryption) {
    try {
      var request = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType);
      if (serverSideEncryption != null) {
        request.serverSideEncryption(serverSideEncryption);
      }
      s3.putObject(request.build(), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw new StorageException("cannot write " + uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  /** The object's size, or -1 when there is no such object. */
  public long size(String key) {
    try {
      return s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build())
          .contentLength();
    } catch (NoSuchKeyException e) {
      return -1;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return -1;
      }
      throw new StorageException(
          "cannot look up " + uri(key) + ": " + StorageErrors.describe(e), e);
    } catch (SdkException e) {
      throw new StorageException(
          "cannot look up " + uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  /** Deletes the object; deleting one that is already gone is not an error. */
  public void delete(String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw new StorageException("cannot delete " + uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  /** The keys of every object whose key starts with {@code prefix}, in key order. */
  public List<String> list(String prefix) {
    try {
      List<String> keys = new ArrayList<>();
      for (var object :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        keys.add(object.key());
      }
      return keys;
    } catch (SdkException e) {
      throw new StorageException(
          "cannot list " + uri(prefix) + ": " + StorageErrors.describe(e), e);
    }
  }

  /** Deletes every object whose key starts with {@code prefix}; returns how many. */
  public int deleteAll(String prefix) {
    int deleted = 0;
    try {
      for (var object :
          s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
        deleted++;
      }
      return deleted;
    } catch (SdkException e) {
      throw new StorageException(
          "cannot delete " + uri(prefix) + ": " + StorageErrors.describe(e), e);
    }
  }

  public boolean exists(String key) {
    try {
      s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new StorageException(
          "cannot look up " + uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  public InputStream read(String key) {
    try {
      ResponseInputStream<GetObjectResponse> in =
          s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build());
      return in;
    } catch (SdkException e) {
      throw new StorageException("cannot read " + uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  /** {@code length} bytes of an object from {@code offset}: a ranged GET. */
  public InputStream read(String key, long offset, long length) {
    try {
      return s3.getObject(
          GetObjectRequest.builder()
              .bucket(bucket)
              .key(key)
              .range("bytes=" + offset + "-" + (offset + length - 1))
              .build());
    } catch (SdkException e) {
      throw new StorageException("cannot read " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  /** Fails with what to do when the bucket is missing or not accessible with these credentials. */
  public void requireBucket() {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      String advice =
          StorageErrors.timedOut(e)
              ? "."
              : ". Create it, or check storage.endpoint, region and credentials.";
      throw new StorageException(
          "bucket '" + bucket + "' is not reachable: " + StorageErrors.describe(e) + advice, e);
    }
  }

  public String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public void close() {
    uploader.shutdownNow();
    s3.close();
  }
}
