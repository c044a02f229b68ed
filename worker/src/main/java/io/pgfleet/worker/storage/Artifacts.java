package io.pgfleet.worker.storage;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The artifact bucket as procedures see it: keys, objects and streamed uploads, never the S3
 * client. Failures are {@link StorageException}s whose message names the object and the cause.
 */
public interface Artifacts {
  ArtifactKeys keys();

  String bucket();

  /** {@code s3://<bucket>/<key>}: how messages and results name an object. */
  String uri(String key);

  /** Fails with what to do when the bucket is missing or not accessible with these credentials. */
  void requireBucket();

  /**
   * Starts a streamed upload; the caller must {@code complete()} or {@code abort()} it. Uploads to
   * the same key left open by an earlier attempt are aborted first.
   */
  MultipartUpload upload(String key, String contentType);

  /** A streamed upload encrypted at rest when {@code serverSideEncryption} is set. */
  MultipartUpload upload(String key, String contentType, String serverSideEncryption);

  /** Aborts every multipart upload still open for exactly this key; returns how many. */
  int abortOpenUploads(String key);

  void put(String key, byte[] bytes, String contentType);

  void put(String key, byte[] bytes, String contentType, String serverSideEncryption);

  /** Writes a small object with user metadata stored alongside it. */
  void putWithMetadata(String key, byte[] bytes, String contentType, Map<String, String> metadata);

  /**
   * Writes the object with {@code If-None-Match: *}; false when the store refused because the key
   * exists (or is being written). A store that ignores the condition overwrites and answers true.
   */
  boolean putIfAbsent(String key, byte[] bytes, String contentType, Map<String, String> metadata);

  InputStream read(String key);

  /** {@code length} bytes of an object from {@code offset}: a ranged read. */
  InputStream read(String key, long offset, long length);

  /** The whole object and its metadata, or empty when there is no such object. */
  Optional<ObjectContent> readWithMetadata(String key);

  /** The object's size, or -1 when there is no such object. */
  long size(String key);

  boolean exists(String key);

  /** The object's user metadata, or empty when there is no such object. */
  Optional<Map<String, String>> metadata(String key);

  /** Deletes the object; deleting one that is already gone is not an error. */
  void delete(String key);

  /** Deletes every object whose key starts with {@code prefix}; returns how many. */
  int deleteAll(String prefix);

  /** The keys of every object whose key starts with {@code prefix}, in key order. */
  List<String> list(String prefix);

  /** Every object whose key starts with {@code prefix}, in key order. */
  List<ListedObject> listObjects(String prefix);
}
