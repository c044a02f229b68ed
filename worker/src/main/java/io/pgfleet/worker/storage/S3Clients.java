package io.pgfleet.worker.storage;

import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.StorageTimeouts;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the S3 client for the configured endpoint, region, credentials and timeouts. */
final class S3Clients {
  private S3Clients() {}

  /**
   * A client whose every S3 operation gives up within {@code settings.timeouts().call()}, retries
   * included: a store that accepts connections and never answers, or answers at a crawl, fails the
   * caller instead of holding it (see {@link StorageTimeouts}).
   */
  static S3Client build(StorageSettings settings) {
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
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(StorageSettings s) {
    if (s.accessKey() == null || s.secretKey() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(s.accessKey().reveal(), s.secretKey().reveal()));
  }
}
