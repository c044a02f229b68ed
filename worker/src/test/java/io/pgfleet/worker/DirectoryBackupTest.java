package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.RestoreParams.Mode;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.retention.RetentionPolicy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Directory-format backups with parallel jobs: one object per file, each checked against the
 * manifest before a restore touches anything, restored with pg_restore -j, and no local directory
 * left behind whatever happens.
 */
class DirectoryBackupTest {
  private static final List<String> ORDER_TABLES =
      List.of(
          "orders", "order_items", "outbox_events", "outbox_events_archive", "event_idempotency");
  private static final List<String> WAREHOUSE_TABLES =
      List.of("inventory", "stock_movements", "reservations");
  private static final int MAX_JOBS = 3;

  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static LocalPostgres pg;
  private static S3Client s3;
  private static Path workDir;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new Fleet("order_db", "warehouse_db", "payment_db");
    results = fleet.results();
    publisher = fleet.publisher();
    pg = fleet.stack.postgres();
    s3 = fleet.s3();
    workDir = Files.createTempDirectory("pgfleet-dirformat-test");
    String payment = fleet.target("payment_db");
    String warehouse = fleet.target("warehouse_db");
    WorkerConfig c =
        fleet.workerConfig(
            "worker-dir",
            t ->
                t.toBuilder()
                    .restore(fleet.restoreAsSuperuser(true))
                    .retention(
                        t.name().equals(warehouse) ? new RetentionPolicy(1, 0, 0, 0, 0) : null)
                    // payment_db's worker must keep more free than any disk has
                    .backup(
                        new BackupSettings(
                            MAX_JOBS, workDir, t.name().equals(payment) ? Long.MAX_VALUE / 2 : 0))
                    .build());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    fleet.startWorker(
        new WorkerConfig(
            c.workerId(),
            c.kafka(),
            c.ledger(),
            c.storage(),
            c.runs(),
            c.security(),
            c.targets(),
            new EncryptionKeys(
                "k1", Map.of("k1", Secret.literal(Base64.getEncoder().encodeToString(key))))));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void a_directory_backup_stores_one_checked_object_per_file_and_passes_its_drill()
      throws Exception {
    String target = fleet.target("order_db");

    Artifact artifact = backup(target, directory(null, null, 2));
    JsonNode manifest = Artifacts.manifest(s3, artifact.manifestUri());
    ResultEvent drill =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri())));

    assertThat(artifact.uri()).endsWith(".dir/");
    assertThat(manifest.at("/dump/format").asText()).isEqualTo("directory");
    assertThat(manifest.at("/dump/jobs").asInt()).isEqualTo(2);
    assertThat(manifest.get("files")).hasSizeGreaterThan(ORDER_TABLES.size());
    long total = 0;
    for (JsonNode file : manifest.get("files")) {
      byte[] stored = read(artifact.uri() + file.get("name").asText());
      assertThat(sha256(stored)).isEqualTo(file.get("sha256").asText());
      assertThat((long) stored.length).isEqualTo(file.get("bytes").asLong());
      total += stored.length;
    }
    assertThat(manifest.at("/artifact/bytes").asLong()).isEqualTo(total);
    assertThat(drill.outcome()).as(drill.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(drill.data().statistics())
        .containsEntry("sha256Verified", true)
        .containsEntry("tables", ORDER_TABLES.size());
    assertThat(workDirEntries()).isEmpty();
  }

  @Test
  void replace_and_new_database_and_tables_restores_of_directory_backups_bring_back_exact_data()
      throws Exception {
    String target = fleet.target("order_db");
    Map<String, String> dumped = Tables.fingerprints(pg, target, ORDER_TABLES);
    Artifact plain = backup(target, directory(null, null, MAX_JOBS));
    Artifact sealed = backup(target, directory("zstd", true, 2));
    pg.execute(
        target,
        "UPDATE order_items SET quantity = 77 WHERE id < 300; DELETE FROM event_idempotency;"
            + " CREATE TABLE junk (id int)");

    ResultEvent replaced;
    try (Connection session = pg.connect(target)) {
      replaced =
          run(target, new RestoreParams(plain.uri(), Mode.REPLACE, null, null, null, null, target));
      assertThat(session.isValid(2)).as("the open session was terminated").isFalse();
    }
    Map<String, String> afterReplace = Tables.fingerprints(pg, target, ORDER_TABLES);
    String copy = fleet.id + "_dir_copy";
    ResultEvent intoNew =
        run(
            target,
            new RestoreParams(sealed.uri(), Mode.NEW_DATABASE, copy, null, null, null, null));
    pg.execute(target, "UPDATE order_items SET quantity = 5 WHERE id < 100");
    ResultEvent tables =
        run(
            target,
            new RestoreParams(
                plain.uri(), Mode.TABLES, null, List.of("order_items"), true, true, target));

    assertThat(replaced.outcome()).as(replaced.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(afterReplace).isEqualTo(dumped);
    assertThat(Tables.scalar(pg, target, "SELECT count(*) FROM pg_tables WHERE tablename = 'junk'"))
        .isZero();
    assertThat(new String(read(sealed.uri() + "toc.dat"), StandardCharsets.ISO_8859_1))
        .startsWith("PGFENC01");
    assertThat(intoNew.outcome()).as(intoNew.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Tables.fingerprints(pg, copy, ORDER_TABLES)).isEqualTo(dumped);
    assertThat(tables.outcome()).as(tables.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Tables.fingerprints(pg, target, ORDER_TABLES)).isEqualTo(dumped);
    assertThat(workDirEntries()).isEmpty();
  }

  @Test
  void a_flipped_byte_in_one_file_fails_verify_and_restore_refuses_before_dropping()
      throws Exception {
    String target = fleet.target("warehouse_db");
    Artifact artifact = backup(target, directory(null, null, 2));
    String damaged = artifact.uri() + largestFile(artifact);
    byte[] bytes = read(damaged);
    String sha256 = sha256(bytes);
    bytes[bytes.length / 2] ^= 0x01;
    write(damaged, bytes);
    Map<String, String> before = Tables.fingerprints(pg, target, WAREHOUSE_TABLES);

    ResultEvent verify =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri())));
    try (Connection session = pg.connect(target)) {
      ResultEvent restore = replace(target, artifact);

      assertThat(verify.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(verify.data().error().code()).isEqualTo("INTEGRITY_FAILED");
      assertThat(verify.data().error().message()).contains(damaged).contains(sha256);
      assertThat(restore.data().error().code()).isEqualTo("INTEGRITY_FAILED");
      assertThat(session.isValid(2)).as("the open session was not terminated").isTrue();
    }
    assertThat(Tables.fingerprints(pg, target, WAREHOUSE_TABLES)).isEqualTo(before);
    assertThat(scratchDatabases()).isZero();
    assertThat(workDirEntries()).isEmpty();
  }

  @Test
  void a_missing_file_is_refused_before_anything_is_dropped() throws Exception {
    String target = fleet.target("warehouse_db");
    Artifact artifact = backup(target, directory(null, null, 2));
    String gone = artifact.uri() + largestFile(artifact);
    URI u = URI.create(gone);
    s3.deleteObject(b -> b.bucket(u.getHost()).key(u.getPath().substring(1)));
    Map<String, String> before = Tables.fingerprints(pg, target, WAREHOUSE_TABLES);

    ResultEvent verify =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri())));
    ResultEvent restore = replace(target, artifact);

    assertThat(verify.data().error().code()).isEqualTo("INTEGRITY_FAILED");
    assertThat(verify.data().error().message())
        .contains("incomplete artifact")
        .contains(largestFile(artifact));
    assertThat(restore.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(restore.data().error().code()).isEqualTo("INTEGRITY_FAILED");
    assertThat(Tables.fingerprints(pg, target, WAREHOUSE_TABLES)).isEqualTo(before);
    assertThat(workDirEntries()).isEmpty();
  }

  @Test
  void a_dump_that_fails_midway_leaves_no_work_directory_and_no_objects() throws Exception {
    String target = fleet.target("warehouse_db");
    pg.execute(target, "CREATE TABLE public.not_for_the_owner (id int)");
    try {
      ResultEvent end = run(Commands.backup(target).params(directory(null, null, 2)));

      assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(end.data().error().message()).contains("not_for_the_owner");
      assertThat(workDirEntries()).isEmpty();
      assertThat(objectsUnder("backups/" + target + "/logical/"))
          .noneMatch(k -> k.contains(end.data().commandId()));
    } finally {
      pg.execute(target, "DROP TABLE public.not_for_the_owner");
    }
  }

  @Test
  void prune_deletes_every_file_of_a_directory_backup_its_policy_drops() throws Exception {
    String target = fleet.target("warehouse_db");
    Artifact older = backup(target, directory(null, null, 2));
    Artifact newer = backup(target, directory(null, null, 2));

    ResultEvent prune =
        run(
            Commands.of(
                Operation.PRUNE_BACKUPS,
                target,
                new io.pgfleet.commands.PruneBackupsParams(false, target)));

    assertThat(prune.outcome()).as(prune.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(objectsUnder(URI.create(older.uri()).getPath().substring(1))).isEmpty();
    assertThat(objectsUnder(URI.create(older.manifestUri()).getPath().substring(1))).isEmpty();
    assertThat(objectsUnder(URI.create(newer.uri()).getPath().substring(1))).isNotEmpty();
  }

  @Test
  void jobs_over_the_limit_too_little_disk_or_bad_combinations_are_refused_saying_what_to_fix()
      throws Exception {
    ResultEvent tooMany =
        run(Commands.backup(fleet.target("order_db")).params(directory(null, null, MAX_JOBS + 1)));
    ResultEvent noDisk =
        run(Commands.backup(fleet.target("payment_db")).params(directory(null, null, 1)));
    ResultEvent zero = rejected(backupJson("\"format\":\"directory\",\"jobs\":0"));
    ResultEvent customWithJobs = rejected(backupJson("\"format\":\"custom\",\"jobs\":2"));

    assertThat(tooMany.data().error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(tooMany.data().error().message())
        .contains("at most " + MAX_JOBS)
        .contains("backup.maxJobs");
    assertThat(noDisk.data().error().code()).isEqualTo("INSUFFICIENT_DISK");
    assertThat(noDisk.data().error().message())
        .contains(workDir.toString())
        .contains("backup.keepFreeMb")
        .contains("format custom");
    assertThat(zero.data().error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(zero.data().error().field()).isEqualTo("/data/jobs");
    assertThat(customWithJobs.data().error().message()).contains("jobs 2 needs format 'directory'");
    assertThat(workDirEntries()).isEmpty();
  }

  private static BackupParams directory(String compression, Boolean encrypt, int jobs) {
    return new BackupParams("directory", compression, null, null, null, null, encrypt, null, jobs);
  }

  private static Artifact backup(String target, BackupParams params) {
    ResultEvent end = run(Commands.backup(target).params(params));
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    return end.data().artifacts().get(0);
  }

  private static ResultEvent replace(String target, Artifact artifact) {
    return run(
        target, new RestoreParams(artifact.uri(), Mode.REPLACE, null, null, null, null, target));
  }

  private static ResultEvent run(String target, OperationParams params) {
    return run(Commands.of(Operation.RESTORE, target, params));
  }

  private static ResultEvent run(Commands.Builder builder) {
    Command command = builder.source("urn:test:directory").build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }

  private static String backupJson(String data) {
    return "{\"specversion\":\"1.0\",\"id\":\"dir-"
        + System.nanoTime()
        + "\",\"source\":\"urn:t\",\"type\":\"io.pgfleet.command.backup.v1\",\"subject\":\""
        + fleet.target("order_db")
        + "\",\"time\":\"2026-11-21T02:00:00Z\",\"data\":{"
        + data
        + "}}";
  }

  private static ResultEvent rejected(String json) {
    RecordMetadata sent =
        fleet.sendRaw(
            fleet.topics.commands(fleet.target("order_db")), json.getBytes(StandardCharsets.UTF_8));
    ResultEvent event =
        results.awaitEvent(
            e ->
                e.data().origin() != null
                    && e.data().origin().topic().equals(sent.topic())
                    && e.data().origin().offset() == sent.offset());
    assertThat(event.outcome()).isEqualTo(Outcome.REJECTED);
    return event;
  }

  private static String largestFile(Artifact artifact) throws Exception {
    JsonNode manifest = Artifacts.manifest(s3, artifact.manifestUri());
    String largest = null;
    long size = -1;
    for (JsonNode file : manifest.get("files")) {
      if (file.get("bytes").asLong() > size) {
        size = file.get("bytes").asLong();
        largest = file.get("name").asText();
      }
    }
    return largest;
  }

  private static List<Path> workDirEntries() throws Exception {
    try (Stream<Path> entries = Files.list(workDir)) {
      return entries.toList();
    }
  }

  private static List<String> objectsUnder(String prefix) {
    return s3.listObjectsV2Paginator(b -> b.bucket(fleet.bucket).prefix(prefix)).contents().stream()
        .map(o -> o.key())
        .toList();
  }

  private static long scratchDatabases() throws Exception {
    return Tables.scalar(
        pg, "postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgfleet\\_%'");
  }

  private static byte[] read(String uri) {
    URI u = URI.create(uri);
    return s3.getObjectAsBytes(b -> b.bucket(u.getHost()).key(u.getPath().substring(1)))
        .asByteArray();
  }

  private static void write(String uri, byte[] bytes) {
    URI u = URI.create(uri);
    s3.putObject(
        b -> b.bucket(u.getHost()).key(u.getPath().substring(1)),
        software.amazon.awssdk.core.sync.RequestBody.fromBytes(bytes));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
