package io.pgfleet.worker.storage;

/** An object as stored: where, how large, and the sha256 of its bytes. */
public record StoredObject(String bucket, String key, long bytes, String sha256) {
  public String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
