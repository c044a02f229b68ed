package io.pgfleet.worker.storage;

import java.time.Instant;

/** An object as a listing shows it: its key, when the store received it, and its ETag. */
public record ListedObject(String key, Instant lastModified, String eTag) {
  /** The last part of the key, after its final {@code /}. */
  public String name() {
    return key.substring(key.lastIndexOf('/') + 1);
  }
}
