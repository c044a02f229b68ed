package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalS3;
import io.pgfleet.local.StoreCertificate;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.MultipartUpload;
import io.pgfleet.worker.storage.StoredObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object store that speaks only HTTPS with a certificate of a private authority (S3Proxy with a
 * self-signed certificate for 127.0.0.1): trusted through {@code storage.caFile}, and refused,
 * saying why, without it.
 */
class TlsStoreTest {
  @TempDir static Path dir;
  private static Fleet fleet;
  private static LocalS3 secure;
  private static ResultStream results;
  private static CommandPublisher publisher;

  @BeforeAll
  static void start() {
    fleet = new Fleet("order_db");
    secure = LocalS3.startSecure(dir.resolve("s3"));
    secure.createBucket(fleet.bucket);
    results = fleet.results();
    publisher = fleet.publisher();
    WorkerConfig plain = fleet.workerConfig("tls-worker", UnaryOperator.identity());
    fleet.startWorker(
        WorkerConfigs.withStorage(plain, on(secure, plain.storage(), secure.certificate())));
  }

  @AfterAll
  static void stop() throws Exception {
    fleet.close();
    secure.close();
  }

  @Test
  void a_backup_and_its_drill_go_over_https_to_a_store_trusted_through_its_ca_file()
      throws Exception {
    String target = fleet.target("order_db");
    Command backup = Commands.backup(target).source("urn:test:tls").build();
    publisher.publish(backup).join();
    ResultEvent backedUp = results.awaitTerminal(backup.id());
    assertThat(backedUp.outcome()).as(backedUp.toString()).isEqualTo(Outcome.SUCCEEDED);
    Artifact artifact = backedUp.data().artifacts().get(0);

    Command drill =
        Commands.of(Operation.VERIFY_BACKUP, target, VerifyBackupParams.latest())
            .source("urn:test:tls")
            .build();
    publisher.publish(drill).join();
    ResultEvent drilled = results.awaitTerminal(drill.id());

    assertThat(drilled.outcome()).as(drilled.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(drilled.data().statistics())
        .containsEntry("artifact", artifact.uri())
        .containsEntry("sha256Verified", true)
        .containsEntry("contentVerified", true);
    // the objects are on the HTTPS store, not on the stack's plain one
    try (ArtifactStore store = ArtifactStore.connect(settings(secure.certificate()))) {
      assertThat(store.size(artifact.uri().substring(("s3://" + fleet.bucket + "/").length())))
          .isEqualTo(artifact.bytes());
    }
  }

  @Test
  void a_multipart_upload_and_a_ranged_read_arrive_whole_over_https() throws Exception {
    byte[] data = new byte[2 * StorageSettings.MIN_PART_SIZE + 4321];
    new Random(3).nextBytes(data);
    try (ArtifactStore store = ArtifactStore.connect(settings(secure.certificate()))) {
      MultipartUpload upload = store.upload("t/tls.bin", "application/octet-stream");
      upload.write(data, 0, data.length);
      StoredObject stored = upload.complete();

      assertThat(stored.bytes()).isEqualTo(data.length);
      try (InputStream in = store.read("t/tls.bin", 5_000_000, 10)) {
        assertThat(in.readAllBytes())
            .isEqualTo(java.util.Arrays.copyOfRange(data, 5_000_000, 5_000_010));
      }
    }
  }

  @Test
  void without_the_ca_file_or_with_another_authoritys_the_store_is_refused_saying_why()
      throws Exception {
    Path other = StoreCertificate.create(dir.resolve("other")).pem();
    for (Path ca : new Path[] {null, other}) {
      try (ArtifactStore store = ArtifactStore.connect(settings(ca))) {
        assertThatThrownBy(store::requireBucket)
            .hasMessageContaining("bucket '" + fleet.bucket + "' is not reachable")
            .hasMessageContaining("the object store's TLS certificate is not trusted")
            .hasMessageContaining("storage.caFile");
      }
    }
    assertThat(Files.readString(secure.certificate())).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void a_trusted_certificate_for_another_host_name_is_refused() throws Exception {
    StoreCertificate elsewhere =
        StoreCertificate.create(dir.resolve("elsewhere-tls"), "dns:other.invalid");
    try (LocalS3 misnamed = LocalS3.startSecure(dir.resolve("elsewhere"), elsewhere)) {
      misnamed.createBucket(fleet.bucket);
      try (ArtifactStore store =
          ArtifactStore.connect(on(misnamed, settings(null), elsewhere.pem()))) {
        assertThatThrownBy(store::requireBucket)
            .hasMessageContaining("the object store's TLS certificate is not trusted")
            .hasMessageContaining("does not name the endpoint's host");
      }
    }
  }

  private static StorageSettings settings(Path caFile) {
    return on(secure, fleet.workerConfig("tls-client", UnaryOperator.identity()).storage(), caFile);
  }

  /** {@code s} pointed at {@code store}, with its keys, trusting {@code caFile}. */
  private static StorageSettings on(LocalS3 store, StorageSettings s, Path caFile) {
    return new StorageSettings(
        store.endpoint(),
        s.region(),
        s.bucket(),
        s.prefix(),
        s.pathStyle(),
        Secret.literal(store.accessKey()),
        Secret.literal(store.secretKey()),
        s.partSizeBytes(),
        s.maxBytesPerSecond(),
        s.timeouts(),
        caFile);
  }
}
