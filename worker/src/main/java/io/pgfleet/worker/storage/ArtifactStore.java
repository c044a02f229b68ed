package io.pgfleet.worker.storage;

import io.pgfleet.worker.config.StorageSettings;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** {@link Artifacts} in an S3-compatible bucket, reached with the AWS SDK's S3 client. */
public final class ArtifactStore implements Artifacts, AutoCloseable {
  private final S3Client s3;
  private final String bucket;
  private final ArtifactKeys keys;
  private final PartBuffers partBuffers;
  private final long maxBytesPerSecond;
  private final ConditionalPuts puts;
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
    this.partBuffers = new PartBuffers(partSize, MultipartUpload.BUFFERS);
    this.maxBytesPerSecond = maxBytesPerSecond;
    this.puts = new ConditionalPuts(s3, bucket);
  }

  public static ArtifactStore connect(StorageSettings settings) {
    return new ArtifactStore(
        S3Clients.build(settings),
        settings.bucket(),
        new ArtifactKeys(settings.prefix()),
        settings.partSizeBytes(),
        settings.maxBytesPerSecond());
  }

  @Override
  public ArtifactKeys keys() {
    return keys;
  }

  @Override
  public String bucket() {
    return bucket;
  }

  S3Client client() {
    return s3;
  }

  /**
   * Starts a streamed upload; the caller must {@code complete()} or {@code abort()} it. Uploads to
   * the same key left open by an earlier attempt (a worker killed mid-run) are aborted first: the
   * caller holds the command's lease, so they can only belong to dead attempts.
   */
  @Override
  public MultipartUpload upload(String key, String contentType) {
    return upload(key, contentType, null);
  }

  /**
   * Starts a streamed upload, asking S3 to encrypt the object at rest when {@code
   * serverSideEncryption} ({@code AES256} or {@code aws:kms}) is set.
   */
  @Override
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
          s3, bucket, key, uploadId, uploader, partBuffers, new Throttle(maxBytesPerSecond));
    } catch (SdkException e) {
      throw new StorageException(
          "cannot start an upload to " + uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  /** Aborts every multipart upload still open for exactly this key; returns how many. */
  @Override
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

  @Override
  public void put(String key, byte[] bytes, String contentType) {
    put(key, bytes, contentType, null);
  }

  @Override
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

  @Override
  public void putWithMetadata(
      String key, byte[] bytes, String contentType, Map<String, String> metadata) {
    puts.put(key, bytes, contentType, metadata);
  }

  @Override
  public boolean putIfAbsent(
      String key, byte[] bytes, String contentType, Map<String, String> metadata) {
    return puts.putIfAbsent(key, bytes, contentType, metadata);
  }

  @Override
  public long size(String key) {
    return ObjectHeads.head(s3, bucket, key).map(HeadObjectResponse::contentLength).orElse(-1L);
  }

  @Override
  public boolean exists(String key) {
    return ObjectHeads.head(s3, bucket, key).isPresent();
  }

  @Override
  public Optional<Map<String, String>> metadata(String key) {
    return ObjectHeads.head(s3, bucket, key).map(HeadObjectResponse::metadata);
  }

  /** Deletes the object; deleting one that is already gone is not an error. */
  @Override
  public void delete(String key) {
    try {
      s3.deleteObject(b -> b.bucket(bucket).key(key));
    } catch (SdkException e) {
      throw new StorageException("cannot delete " + uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  @Override
  public List<String> list(String prefix) {
    return listObjects(prefix).stream().map(ListedObject::key).toList();
  }

  /** Deletes every object whose key starts with {@code prefix}; returns how many. */
  @Override
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

  @Override
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
  @Override
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

  @Override
  public Optional<ObjectContent> readWithMetadata(String key) {
    try {
      var response = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
      return Optional.of(new ObjectContent(response.asByteArray(), response.response().metadata()));
    } catch (SdkException e) {
      if (ObjectHeads.missing(e)) {
        return Optional.empty();
      }
      throw new StorageException("cannot read " + uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  @Override
  public List<ListedObject> listObjects(String prefix) {
    try {
      List<ListedObject> objects = new ArrayList<>();
      for (var o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
        objects.add(new ListedObject(o.key(), o.lastModified(), o.eTag()));
      }
      return objects;
    } catch (SdkException e) {
      throw new StorageException(
          "cannot list " + uri(prefix) + ": " + StorageErrors.describe(e), e);
    }
  }

  /** Fails with what to do when the bucket is missing or not accessible with these credentials. */
  @Override
  public void requireBucket() {
    try {
      s3.headBucket(b -> b.bucket(bucket));
    } catch (SdkException e) {
      String advice =
          StorageErrors.timedOut(e) || StorageErrors.notTrusted(e)
              ? "."
              : ". Create it, or check storage.endpoint, region and credentials.";
      throw new StorageException(
          "bucket '" + bucket + "' is not reachable: " + StorageErrors.describe(e) + advice, e);
    }
  }

  @Override
  public String uri(String key) {
    return "s3://" + bucket + "/" + key;
  }

  @Override
  public void close() {
    uploader.shutdownNow();
    s3.close();
  }
}
