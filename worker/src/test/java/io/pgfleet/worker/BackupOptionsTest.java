package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.config.WorkerConfig;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Compression, encryption, table selection and SSE options, each proven by a drill or restore. */
class BackupOptionsTest {
  private static final List<String> ORDER_TABLES =
      List.of(
          "orders", "order_items", "outbox_events", "outbox_events_archive", "event_idempotency");

  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static LocalPostgres pg;
  private static String target;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db");
    results = fleet.results();
    publisher = fleet.publisher();
    pg = fleet.stack.postgres();
    target = fleet.target("order_db");
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void an_encrypted_zstd_backup_cannot_be_restored_without_its_key_and_restores_with_it()
      throws Exception {
    String key = randomKey();
    Worker withKey = fleet.startWorker(config("worker-key", Map.of("k1", key), "k1"));
    Map<String, String> dumped = Tables.fingerprints(pg, target, ORDER_TABLES);
    Artifact artifact = backup(new BackupParams(null, "zstd", 9, null, null, null, true, null));
    JsonNode manifest = Artifacts.manifest(fleet.s3(), artifact.manifestUri());
    String stored =
        new String(
            VerifyBackupTestSupport.read(fleet, artifact.uri()), StandardCharsets.ISO_8859_1);

    ResultEvent drill = run(Operation.VERIFY_BACKUP, new VerifyBackupParams(artifact.uri()));
    withKey.close();

    assertThat(manifest.at("/encryption/keyId").asText()).isEqualTo("k1");
    assertThat(manifest.at("/dump/compression").asText()).isEqualTo("zstd");
    assertThat(stored)
        .startsWith("PGFENC01")
        .doesNotContain("OrderCreated")
        .doesNotContain("PGDMP");
    assertThat(drill.outcome()).as(drill.toString()).isEqualTo(Outcome.SUCCEEDED);

    Worker noKey = fleet.startWorker(config("worker-nokey", Map.of(), null));
    ResultEvent withoutKey = run(Operation.RESTORE, newDatabase(artifact, "_nokey"));
    noKey.close();
    Worker wrongKey = fleet.startWorker(config("worker-wrongkey", Map.of("k1", randomKey()), null));
    ResultEvent withWrongKey = run(Operation.RESTORE, newDatabase(artifact, "_wrongkey"));
    wrongKey.close();
    fleet.startWorker(config("worker-key-again", Map.of("k1", key), "k1"));
    ResultEvent restored = run(Operation.RESTORE, newDatabase(artifact, "_withkey"));

    assertThat(withoutKey.data().error().code()).isEqualTo("ENCRYPTION_KEY_UNAVAILABLE");
    assertThat(withoutKey.data().error().message()).contains("'k1'").contains("encryption.keys");
    assertThat(withWrongKey.data().error().code()).isEqualTo("ENCRYPTION_KEY_UNAVAILABLE");
    assertThat(databaseExists(fleet.id + "_wrongkey")).isFalse();
    assertThat(restored.outcome()).as(restored.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Tables.fingerprints(pg, fleet.id + "_withkey", ORDER_TABLES)).isEqualTo(dumped);

    // the same worker: gzip 9 with only some tables, and schema only without one table
    Artifact some =
        backup(
            new BackupParams(
                null, "gzip", 9, null, List.of("orders", "public.order_items"), null, null, null));
    Artifact schema =
        backup(
            new BackupParams(
                null, "none", null, true, null, List.of("outbox_events_archive"), null, null));
    ResultEvent someDrill = run(Operation.VERIFY_BACKUP, new VerifyBackupParams(some.uri()));
    ResultEvent schemaDrill = run(Operation.VERIFY_BACKUP, new VerifyBackupParams(schema.uri()));

    assertThat(someDrill.outcome()).as(someDrill.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(someDrill.data().statistics()).containsEntry("tables", 2);
    assertThat(schemaDrill.outcome()).as(schemaDrill.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(schemaDrill.data().statistics()).containsEntry("tables", 4).containsEntry("rows", 0);

    // S3Proxy has no server-side encryption: the request reaches the store, which says so
    ResultEvent sse =
        run(Operation.BACKUP, new BackupParams(null, null, null, null, null, null, null, "AES256"));
    assertThat(sse.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(sse.data().error().message()).contains("Server-side encryption is not supported");
  }

  private static RestoreParams newDatabase(Artifact artifact, String suffix) {
    return new RestoreParams(
        artifact.uri(), RestoreParams.Mode.NEW_DATABASE, fleet.id + suffix, null, null, null, null);
  }

  private static boolean databaseExists(String name) throws Exception {
    return Tables.scalar(
            pg, "postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'")
        == 1;
  }

  private static WorkerConfig config(String id, Map<String, String> keys, String active) {
    WorkerConfig c = fleet.workerConfig(id, t -> t);
    Map<String, Secret> secrets = new java.util.HashMap<>();
    keys.forEach((k, v) -> secrets.put(k, Secret.literal(v)));
    return new WorkerConfig(
        c.workerId(),
        c.kafka(),
        c.ledger(),
        c.storage(),
        c.runs(),
        c.security(),
        c.targets(),
        new EncryptionKeys(active, secrets));
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static Artifact backup(BackupParams params) {
    ResultEvent end = run(Operation.BACKUP, params);
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    return end.data().artifacts().get(0);
  }

  private static ResultEvent run(Operation operation, OperationParams params) {
    Command command = Commands.of(operation, target, params).source("urn:test:options").build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
