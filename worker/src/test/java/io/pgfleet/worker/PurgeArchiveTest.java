package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.PurgePolicy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import software.amazon.awssdk.services.s3.S3Client;

/** Audit rows archived to S3 as compressed CSV, deleted only once the archive is verified. */
class PurgeArchiveTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static S3Client s3;
  private static Sql warehouse;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("warehouse_db");
    warehouse = new Sql(fleet.stack.postgres(), fleet.target("warehouse_db"));
    results = fleet.results();
    s3 = fleet.s3();
    fleet.startWorker(
        fleet.workerConfig(
            "worker-s3",
            t ->
                t.toBuilder()
                    .purgePolicy(
                        PurgePolicy.builder("audit-archive")
                            .table("audit_events")
                            .timeColumn("timestamp")
                            .olderThan(Duration.ofDays(90))
                            .archive(PurgePolicy.Archive.s3(500))
                            .batchSize(100)
                            .maxBatchSize(200)
                            .vacuum(true)
                            .build())
                    .build()));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void the_s3_archive_holds_exactly_the_deleted_rows_with_a_truthful_manifest_per_segment(
      @TempDir Path dir) throws Exception {
    Map<String, String> before = csvById();
    Instant start = Instant.now();
    Command command =
        Commands.purge(fleet.target("warehouse_db"), "audit-archive").source("urn:test").build();
    fleet.publisher().publish(command).join();
    ResultEvent end = results.awaitTerminal(command.id());

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, String> after = csvById();
    Map<String, String> deleted = new LinkedHashMap<>(before);
    deleted.keySet().removeAll(after.keySet());
    assertThat(deleted).isNotEmpty();
    Map<String, Object> stats = end.data().statistics();
    assertThat(stats)
        .containsEntry("rowsDeleted", deleted.size())
        .containsEntry("rowsArchived", deleted.size())
        .containsEntry("archive", "s3")
        .containsEntry("maintenance", "vacuum analyze");
    String cutoff = (String) stats.get("cutoff");
    assertThat(warehouse.count(audit("\"timestamp\" < '" + cutoff + "'"))).isZero();
    assertThat(warehouse.count(audit("\"timestamp\" >= '" + cutoff + "'"))).isEqualTo(after.size());

    List<Artifact> segments = end.data().artifacts();
    // Segments close after the batch that brings them to 500 rows or more.
    assertThat(segments).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(deleted.size() / 500 + 1);
    assertThat(segments.size()).isEqualTo(PurgeTest.number(stats, "segments"));
    List<String> archived = new ArrayList<>();
    for (Artifact segment : segments) {
      assertThat(segment.kind()).isEqualTo("purge-archive");
      assertThat(segment.uri())
          .startsWith("s3://" + fleet.bucket + "/backups/" + fleet.target("warehouse_db"))
          .contains("/archive/audit-archive/")
          .endsWith(".csv.gz");
      Path file = Artifacts.download(s3, segment.uri(), dir);
      assertThat(Artifacts.sha256(file)).isEqualTo(segment.sha256());
      assertThat(file.toFile().length()).isEqualTo(segment.bytes());
      List<String> lines = gunzipLines(file);
      assertThat(lines.get(0)).isEqualTo("id,actor,action,timestamp");
      JsonNode manifest = Artifacts.manifest(s3, segment.manifestUri());
      assertThat(manifest.at("/artifact/sha256").asText()).isEqualTo(segment.sha256());
      assertThat(manifest.at("/artifact/bytes").asLong()).isEqualTo(segment.bytes());
      assertThat(manifest.at("/rows").asLong()).isEqualTo(lines.size() - 1);
      assertThat(manifest.at("/table").asText()).isEqualTo("public.audit_events");
      assertThat(manifest.at("/cutoff").asText()).isEqualTo(cutoff);
      archived.addAll(lines.subList(1, lines.size()));
    }
    assertThat(archived).containsExactlyElementsOf(deleted.values());
    assertThat(
            warehouse.count(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'audit_events'"
                    + " AND last_vacuum >= '"
                    + start
                    + "'"))
        .isEqualTo(1);
    assertThat(s3.listMultipartUploads(b -> b.bucket(fleet.bucket)).uploads()).isEmpty();
  }

  private static String audit(String where) {
    return "SELECT count(*) FROM audit_events WHERE " + where;
  }

  /** Every audit row as COPY writes it in CSV (UTC), by id, in id order. */
  private static Map<String, String> csvById() throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    try (Connection c = warehouse.connect()) {
      c.createStatement().execute("SET TimeZone = 'UTC'");
      c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyOut(
              "COPY (SELECT * FROM audit_events ORDER BY id) TO STDOUT WITH (FORMAT csv)", out);
    }
    Map<String, String> rows = new LinkedHashMap<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      rows.put(line.substring(0, line.indexOf(',')), line);
    }
    return rows;
  }

  private static List<String> gunzipLines(Path file) throws Exception {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      return in.lines().toList();
    }
  }
}
