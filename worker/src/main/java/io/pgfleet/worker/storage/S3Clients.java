package io.pgfleet.worker.storage;

import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.StorageTimeouts;
import io.pgfleet.worker.config.StoreCertificates;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the S3 client for the configured endpoint, region, credentials and timeouts. */
final class S3Clients {
  private S3Clients() {}

  /**
   * A client whose every S3 operation gives up within {@code settings.timeouts().call()}, retries
   * included: a store that accepts connections and never answers, or answers at a crawl, fails the
   * caller instead of holding it (see {@link StorageTimeouts}).
   *
   * <p>A request body goes as one plain body, with no checksum the operation does not require: the
   * SDK's default, a CRC32 trailer in {@code aws-chunked} encoding with each chunk signed over
   * plain HTTP, costs the worker and the store CPU on every uploaded byte (bench/RESULTS.md,
   * backup-stream). Over HTTP the SDK still signs the body's sha256, so the store rejects a changed
   * body; over HTTPS TLS protects it, as with SDKs before 2.30 (which S3-compatible stores expect);
   * and every stored object's sha256 is in its manifest, checked by a restore and a drill.
   */
  static S3Client build(StorageSettings settings) {
    StorageTimeouts timeouts = settings.timeouts();
    ApacheHttpClient.Builder http =
        ApacheHttpClient.builder()
            .maxConnections(32)
            .connectionTimeout(timeouts.connect())
            .connectionAcquisitionTimeout(timeouts.attempt())
            .socketTimeout(timeouts.read());
    if (settings.caFile() != null) {
      TrustManager[] trust = trustManagers(StoreCertificates.read(settings.caFile()));
      http.tlsTrustManagersProvider(() -> trust);
    }
    var builder =
        S3Client.builder()
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            .credentialsProvider(credentials(settings))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
            .httpClientBuilder(http)
            .overrideConfiguration(
                o -> o.apiCallAttemptTimeout(timeouts.attempt()).apiCallTimeout(timeouts.call()));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    return builder.build();
  }

  /**
   * Trust in exactly these certificates, as {@code curl --cacert} and the aws CLI's {@code
   * --ca-bundle} do: a store with a private authority is not also trusted by every public one.
   */
  private static TrustManager[] trustManagers(List<X509Certificate> certificates) {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        anchors.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot trust storage.caFile's certificates: " + e, e);
    }
  }

  private static AwsCredentialsProvider credentials(StorageSettings s) {
    if (s.accessKey() == null || s.secretKey() == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(s.accessKey().reveal(), s.secretKey().reveal()));
  }
}
