package io.pgfleet.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** An AWS SDK client set up the way pgfleet's clients talk to a local S3 server. */
final class S3Clients {

  private S3Clients() {}

  static S3Client of(LocalS3 s3) {
    return of(s3, s3.secretKey());
  }

  static S3Client of(LocalS3 s3, String secretKey) {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.of(s3.region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), secretKey)))
        .build();
  }
}
