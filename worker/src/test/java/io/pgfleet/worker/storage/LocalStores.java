package io.pgfleet.worker.storage;

import io.pgfleet.local.LocalS3;
import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.StorageSettings;
import java.util.UUID;

/** Stores on the local stack's S3Proxy, for tests that need a store and nothing else. */
public final class LocalStores {
  private LocalStores() {}

  /**
   * A store on a new bucket named {@code name-<random>}, keys under {@code t/}, 5 MiB parts, no
   * bandwidth limit, opened as the worker opens its own.
   */
  public static ArtifactStore onNewBucket(String name) {
    LocalS3 local = LocalStack.shared().s3();
    String bucket = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    local.createBucket(bucket);
    return ArtifactStore.connect(
        new StorageSettings(
            local.endpoint(),
            local.region(),
            bucket,
            "t",
            true,
            Secret.literal(local.accessKey()),
            Secret.literal(local.secretKey()),
            StorageSettings.MIN_PART_SIZE,
            0));
  }
}
