package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.worker.archive.ArchiveCuts;
import io.pgfleet.worker.archive.ArchiveScan;
import io.pgfleet.worker.archive.CustomArchive;
import io.pgfleet.worker.archive.RowHash;
import java.net.URI;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Restore drills prove a backup, and catch a damaged object or a manifest that lies. */
class VerifyBackupTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static S3Client s3;
  private static LocalPostgres pg;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "warehouse_db");
    results = fleet.results();
    publisher = fleet.publisher();
    s3 = fleet.s3();
    pg = fleet.stack.postgres();
    fleet.startWorker(
        fleet.workerConfig(
            "worker-v", t -> t.toBuilder().restore(fleet.restoreAsSuperuser(true)).build()));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void a_backup_then_verify_passes_and_marks_the_artifact_verified() throws Exception {
    String target = fleet.target("order_db");
    Artifact artifact = backup(target);

    ResultEvent end =
        run(Commands.of(Operation.VERIFY_BACKUP, target, VerifyBackupParams.latest()));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics())
        .containsEntry("artifact", artifact.uri())
        .containsEntry("sha256Verified", true)
        .containsEntry("contentVerified", true)
        .containsEntry("tables", 5);
    assertThat(((Number) end.data().statistics().get("rows")).longValue())
        .isEqualTo(
            Tables.scalar(
                pg,
                target,
                "SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM order_items)"
                    + " + (SELECT count(*) FROM outbox_events)"
                    + " + (SELECT count(*) FROM outbox_events_archive)"
                    + " + (SELECT count(*) FROM event_idempotency)"));
    assertThat(
            Tables.scalar(
                pg,
                fleet.ledgerDatabase,
                "SELECT count(*) FROM pgfleet.artifacts WHERE verified_at IS NOT NULL AND uri = '"
                    + artifact.uri()
                    + "'"))
        .isEqualTo(1);
    assertThat(scratchDatabases()).isZero();
  }

  @Test
  void a_drill_with_two_jobs_restores_a_decoded_local_copy_and_proves_every_tables_content()
      throws Exception {
    String target = fleet.target("warehouse_db");
    Artifact artifact = backup(target); // zstd, the default: decoded on its way to the local file

    ResultEvent end =
        run(
            Commands.of(
                Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri(), 2)));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics())
        .containsEntry("contentVerified", true)
        .containsEntry("restoreJobs", 2)
        .containsEntry("compression", "zstd");
    // tables are read back as their data and constraints land, while the other job still runs
    assertThat(((Number) end.data().statistics().get("tablesReadDuringRestore")).intValue())
        .isPositive();
    assertThat(scratchDatabases()).isZero();
  }

  @Test
  void a_flipped_byte_fails_verify_as_an_integrity_error_and_restore_refuses_before_dropping()
      throws Exception {
    String target = fleet.target("warehouse_db");
    Artifact artifact = backup(target);
    flipOneByte(artifact.uri());
    Map<String, String> before =
        Tables.fingerprints(pg, target, List.of("inventory", "stock_movements"));

    ResultEvent verify =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri())));
    try (Connection session = pg.connect(target)) {
      ResultEvent restore =
          run(
              Commands.of(
                  Operation.RESTORE,
                  target,
                  new RestoreParams(
                      artifact.uri(), RestoreParams.Mode.REPLACE, null, null, null, null, target)));

      assertThat(verify.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(verify.data().error().code()).isEqualTo("INTEGRITY_FAILED");
      assertThat(verify.data().error().message()).contains("sha256").contains(artifact.sha256());
      assertThat(restore.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(restore.data().error().code()).isEqualTo("INTEGRITY_FAILED");
      assertThat(session.isValid(2)).as("the open session was not terminated").isTrue();
    }
    assertThat(Tables.fingerprints(pg, target, List.of("inventory", "stock_movements")))
        .isEqualTo(before);
    assertThat(scratchDatabases()).isZero();
  }

  @Test
  void
      rows_changed_between_two_backups_show_up_table_by_table_when_a_manifest_meets_the_wrong_dump()
          throws Exception {
    String target = fleet.target("order_db");
    Artifact first = backup(target);
    pg.execute(
        target,
        "DELETE FROM order_items WHERE id <= 100; INSERT INTO event_idempotency"
            + " SELECT 'k' || i, now() FROM generate_series(1, 7) i");
    Artifact second = backup(target);
    // first's manifest now describes second's dump: integrity holds, the content does not match
    String firstManifest = new String(read(first.manifestUri()));
    var manifest = Json.mapper().readTree(firstManifest);
    ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get("artifact"))
        .put("sha256", second.sha256())
        .put("bytes", second.bytes());
    write(first.manifestUri(), Json.mapper().writeValueAsBytes(manifest));
    write(first.uri(), read(second.uri()));

    ResultEvent end =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(first.uri())));

    assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(end.data().error().code()).isEqualTo("VERIFICATION_FAILED");
    assertThat(end.data().error().message())
        .contains("2 table(s)")
        .contains("public.order_items: content differs: the manifest has 9000 rows")
        .contains("the restore 8900 rows")
        .containsPattern("public.event_idempotency: content differs: the manifest has \\d+ rows");
    assertThat(scratchDatabases()).isZero();
  }

  @Test
  void one_changed_value_fails_the_drill_naming_its_table_where_row_counts_alone_pass()
      throws Exception {
    String target = fleet.target("order_db");
    Artifact artifact = plainArchive(target);
    ObjectNode manifest = (ObjectNode) Json.mapper().readTree(read(artifact.manifestUri()));
    byte[] archive = read(artifact.uri());
    VerifyBackupTestSupport.changeLastDigitOfFirstRow(
        archive, VerifyBackupTestSupport.block(manifest, "order_items"));
    ((ObjectNode) manifest.get("artifact"))
        .put("sha256", VerifyBackupTestSupport.sha256(archive)); // integrity holds
    write(artifact.uri(), archive);
    write(artifact.manifestUri(), Json.mapper().writeValueAsBytes(manifest));

    ResultEvent drill = // streamed
        run(
            Commands.of(
                Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri(), 1)));

    assertThat(drill.outcome()).as(drill.toString()).isEqualTo(Outcome.FAILED);
    assertThat(drill.data().error().code()).isEqualTo("VERIFICATION_FAILED");
    assertThat(drill.data().error().message())
        .contains("in 1 table(s): public.order_items: content differs")
        .containsPattern("the manifest has 9000 rows, \\d+ bytes, hash \\w+…, the restore 9000");

    // restored by two pg_restore jobs from a local copy, the same value is caught the same way
    ResultEvent parallel =
        run(
            Commands.of(
                Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri(), 2)));
    assertThat(parallel.outcome()).as(parallel.toString()).isEqualTo(Outcome.FAILED);
    assertThat(parallel.data().error().message())
        .contains("in 1 table(s): public.order_items: content differs");

    // the same backup, judged by row counts alone (a manifest without content hashes), passes
    for (var table : manifest.get("tables")) {
      ((ObjectNode) table).remove(List.of("bytes", "hash"));
    }
    write(artifact.manifestUri(), Json.mapper().writeValueAsBytes(manifest));
    ResultEvent counts =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri())));
    assertThat(counts.outcome()).as(counts.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(counts.data().statistics()).containsEntry("contentVerified", false);
    assertThat(scratchDatabases()).isZero();
  }

  @Test
  void a_manifest_of_the_first_version_with_sha256_sums_is_still_proved_by_content()
      throws Exception {
    String target = fleet.target("order_db");
    Artifact artifact = plainArchive(target);
    ObjectNode manifest = (ObjectNode) Json.mapper().readTree(read(artifact.manifestUri()));
    assertThat(manifest.get("manifestVersion").asInt()).isEqualTo(2);
    assertThat(manifest.get("archive").get("rowHash").asText()).isEqualTo("xxh3-128-sum");
    // what a worker before manifest version 2 wrote: each table's sum of per-row sha256s
    ArchiveScan sha256Sums =
        CustomArchive.copy(
            new java.io.ByteArrayInputStream(read(artifact.uri())),
            java.io.OutputStream.nullOutputStream(),
            ArchiveCuts.NONE,
            RowHash.SHA256_SUM);
    Map<String, String> sums = new java.util.HashMap<>();
    sha256Sums.tables().forEach(t -> sums.put(t.table(), t.content().hash()));
    manifest.put("manifestVersion", 1);
    ((ObjectNode) manifest.get("archive")).remove("rowHash");
    for (var table : manifest.get("tables")) {
      ObjectNode t = (ObjectNode) table;
      assertThat(t.remove("hash").asText()).hasSize(32);
      t.put("sha256", sums.get(t.get("table").asText()));
    }
    write(artifact.manifestUri(), Json.mapper().writeValueAsBytes(manifest));

    ResultEvent drill =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri())));
    assertThat(drill.outcome()).as(drill.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(drill.data().statistics()).containsEntry("contentVerified", true);

    for (var table : manifest.get("tables")) { // one old sum that does not match
      if (table.get("table").asText().equals("order_items")) {
        ((ObjectNode) table).put("sha256", "0".repeat(64));
      }
    }
    write(artifact.manifestUri(), Json.mapper().writeValueAsBytes(manifest));
    ResultEvent wrong =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri())));
    assertThat(wrong.outcome()).as(wrong.toString()).isEqualTo(Outcome.FAILED);
    assertThat(wrong.data().error().message())
        .contains("in 1 table(s): public.order_items: content differs");

    manifest.put("manifestVersion", 2);
    // a hash it does not know, named with a control character: quoted and escaped in the message
    ((ObjectNode) manifest.get("archive")).put("rowHash", "blake3\u0007sum");
    write(artifact.manifestUri(), Json.mapper().writeValueAsBytes(manifest));
    ResultEvent unknown =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri())));
    assertThat(unknown.outcome()).as(unknown.toString()).isEqualTo(Outcome.FAILED);
    assertThat(unknown.data().error().code()).isEqualTo("INTEGRITY_FAILED");
    assertThat(unknown.data().error().message())
        .contains("'blake3\\u0007sum', which this worker does not");

    manifest.put("manifestVersion", 3).put("fieldOfTheFuture", true); // a newer worker's
    write(artifact.manifestUri(), Json.mapper().writeValueAsBytes(manifest));
    ResultEvent newer =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri())));
    assertThat(newer.outcome()).as(newer.toString()).isEqualTo(Outcome.FAILED);
    assertThat(newer.data().error().code()).isEqualTo("INTEGRITY_FAILED");
    assertThat(newer.data().error().message())
        .contains("is version 3, written by a newer pgfleet")
        .contains("reads up to version 2");
  }

  @Test
  void unencrypted_artifacts_restore_with_the_standard_tools_alone() throws Exception {
    String target = fleet.target("warehouse_db");
    Artifact gzip =
        run(Commands.of(Operation.BACKUP, target, new BackupParams("custom", 6)))
            .data()
            .artifacts()
            .get(0);
    Artifact zstd = backup(target); // the default: zstd 2 by the worker, a frame per block
    // pg_dump's gzip: the worker inflated each block to hash it, and the drill proves it
    ResultEvent drill =
        run(Commands.of(Operation.VERIFY_BACKUP, target, new VerifyBackupParams(gzip.uri())));
    assertThat(drill.data().statistics()).containsEntry("contentVerified", true);
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pgfleet-standard-tools");
    java.nio.file.Path gzipFile = dir.resolve("gzip.dump");
    java.nio.file.Path zstdFile = dir.resolve("zstd.dump.zst");
    java.nio.file.Files.write(gzipFile, read(gzip.uri()));
    java.nio.file.Files.write(zstdFile, read(zstd.uri()));
    String gzipDb = target + "_tools_gzip";
    String zstdDb = target + "_tools_zstd";
    pg.execute("postgres", "CREATE DATABASE " + gzipDb);
    pg.execute("postgres", "CREATE DATABASE " + zstdDb);
    try {
      // exactly the commands the README gives
      shell("pg_restore --no-owner --jobs=2 --dbname=" + gzipDb + " " + gzipFile);
      shell("zstd -dc " + zstdFile + " | pg_restore --no-owner --dbname=" + zstdDb);

      String sql =
          "SELECT (SELECT count(*) FROM inventory) + (SELECT count(*) FROM stock_movements)";
      assertThat(Tables.scalar(pg, gzipDb, sql)).isEqualTo(Tables.scalar(pg, target, sql));
      assertThat(Tables.scalar(pg, zstdDb, sql)).isEqualTo(Tables.scalar(pg, target, sql));
    } finally {
      pg.execute("postgres", "DROP DATABASE " + gzipDb);
      pg.execute("postgres", "DROP DATABASE " + zstdDb);
      try (var files = java.nio.file.Files.list(dir)) {
        files.forEach(f -> f.toFile().delete());
      }
      java.nio.file.Files.delete(dir);
    }
  }

  private static void shell(String command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", command);
    builder.environment().put("PGHOST", pg.host());
    builder.environment().put("PGPORT", String.valueOf(pg.port()));
    builder.environment().put("PGUSER", pg.superuser());
    builder.environment().put("PGPASSWORD", pg.superuserPassword());
    builder.redirectErrorStream(true);
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(command + ": " + out).isZero();
  }

  private static long scratchDatabases() throws Exception {
    return Tables.scalar(
        pg, "postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'pgfleet\\_%'");
  }

  static Artifact backup(String target) {
    ResultEvent end = run(Commands.backup(target));
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    return end.data().artifacts().get(0);
  }

  static ResultEvent run(Commands.Builder builder) {
    Command command = builder.source("urn:test:drill").build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }

  private static void flipOneByte(String uri) {
    byte[] bytes = read(uri);
    bytes[bytes.length / 2] ^= 0x01;
    write(uri, bytes);
  }

  static byte[] read(String uri) {
    URI u = URI.create(uri);
    return s3.getObjectAsBytes(b -> b.bucket(u.getHost()).key(u.getPath().substring(1)))
        .asByteArray();
  }

  static void write(String uri, byte[] bytes) {
    URI u = URI.create(uri);
    s3.putObject(
        b -> b.bucket(u.getHost()).key(u.getPath().substring(1)), RequestBody.fromBytes(bytes));
  }

  /**
   * A backup with pg_dump's own compression off: the stored object is the archive, in the clear.
   */
  private static Artifact plainArchive(String target) {
    return run(Commands.of(Operation.BACKUP, target, new BackupParams("custom", 0)))
        .data()
        .artifacts()
        .get(0);
  }
}
