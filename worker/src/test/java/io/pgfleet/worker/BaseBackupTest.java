package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Json;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** base-backup: pg_basebackup to S3 with a manifest, cataloged as kind base. */
class BaseBackupTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static S3Client s3;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db");
    results = fleet.results();
    publisher = fleet.publisher();
    s3 = fleet.s3();
    fleet.startWorker("worker-base");
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void
      a_base_backup_is_streamed_and_stores_every_file_with_its_sha256_a_content_checksum_and_its_phases()
          throws Exception {
    String target = fleet.target("order_db");
    String owner = fleet.databases.get("order_db").owner();
    fleet.stack.postgres().execute("postgres", "ALTER ROLE \"" + owner + "\" REPLICATION");

    Command command =
        Commands.of(Operation.BASE_BACKUP, target, BaseBackupParams.defaults())
            .source("urn:test:base")
            .build();
    publisher.publish(command).join();
    ResultEvent end = results.awaitTerminal(command.id());

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics())
        .as("pg_basebackup's tar went straight into the upload, no scratch copy")
        .containsEntry("streamed", true);
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> phases =
        (java.util.Map<String, Object>) end.data().statistics().get("phases");
    assertThat(phases)
        .as("where the time went: pg_basebackup's output, compression, upload, manifest")
        .containsKeys(
            "firstTarByteAtMs",
            "tarReadAtMs",
            "pgBasebackupWaitMs",
            "compressorWriteMs",
            "compressedAtMs",
            "uploadedAtMs",
            "manifestStoredAtMs");
    assertThat(((Number) phases.get("manifestStoredAtMs")).longValue())
        .isGreaterThanOrEqualTo(((Number) phases.get("tarReadAtMs")).longValue());
    Artifact artifact = end.data().artifacts().get(0);
    assertThat(artifact.kind()).isEqualTo("base");
    JsonNode manifest = Json.mapper().readTree(read(artifact.manifestUri()));
    assertThat(manifest.path("startLsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
    assertThat(manifest.path("stopLsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
    assertThat(manifest.path("timeline").asInt()).isEqualTo(1);
    assertThat(manifest.path("serverVersionNum").asInt()).isGreaterThanOrEqualTo(130000);
    assertThat(manifest.path("startedAt").isMissingNode()).isFalse();
    assertThat(manifest.path("files").findValuesAsText("name"))
        .contains("base.tar", "backup_manifest");
    for (JsonNode file : manifest.path("files")) {
      byte[] stored = read("s3://" + fleet.bucket + "/" + file.path("key").asText());
      assertThat(sha256(stored)).isEqualTo(file.path("storedSha256").asText());
      if (file.path("name").asText().equals("base.tar")) {
        assertThat(stored[4] & 0x04)
            .as("the tar's zstd frame carries a checksum of its content, checked on every read")
            .isNotZero();
      }
    }
    assertThat(
            Tables.scalar(
                fleet.stack.postgres(),
                fleet.ledgerDatabase,
                "SELECT count(*) FROM pgfleet.artifacts WHERE kind = 'base' AND uri = '"
                    + artifact.uri()
                    + "'"))
        .isEqualTo(1);
  }

  private static byte[] read(String uri) {
    URI u = URI.create(uri);
    return s3.getObjectAsBytes(b -> b.bucket(u.getHost()).key(u.getPath().substring(1)))
        .asByteArray();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
