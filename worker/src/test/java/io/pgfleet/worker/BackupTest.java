package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.local.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

class BackupTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static S3Client s3;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "payment_db");
    results = fleet.results();
    publisher = fleet.publisher();
    s3 = fleet.s3();
    fleet.startWorker("worker-a");
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void a_backup_round_trips_to_a_restorable_artifact_with_a_truthful_manifest(@TempDir Path dir)
      throws Exception {
    String target = fleet.target("order_db");
    Command command = Commands.backup(target).source("urn:test:backup").build();

    publisher.publish(command).join();
    ResultEvent end = results.awaitTerminal(command.id());

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(results.eventsFor(command.id()).get(0).outcome()).isEqualTo(Outcome.STARTED);
    Artifact artifact = end.data().artifacts().get(0);
    assertThat(artifact.uri())
        .startsWith("s3://" + fleet.bucket + "/backups/" + target + "/logical/")
        .endsWith("/" + command.id() + ".dump");

    Path dump = Artifacts.download(s3, artifact.uri(), dir);
    JsonNode manifest = Artifacts.manifest(s3, artifact.manifestUri());
    assertThat(Artifacts.sha256(dump))
        .isEqualTo(artifact.sha256())
        .isEqualTo(manifest.at("/artifact/sha256").asText());
    assertThat(dump.toFile().length()).isEqualTo(artifact.bytes());
    assertThat(manifest.at("/server/version").asText()).startsWith("15.");
    assertThat(manifest.at("/dump/snapshot").asText()).isNotBlank();

    // the default compression is zstd by the worker: the standard zstd tool opens it
    Path archive = dir.resolve("archive.dump");
    Artifacts.run(List.of("zstd", "-q", "-d", dump.toString(), "-o", archive.toString()), Map.of());
    String listing = Artifacts.run(List.of("pg_restore", "--list", archive.toString()), Map.of());
    assertThat(listing)
        .contains("TABLE DATA public orders")
        .contains("TABLE DATA public outbox_events");

    Map<String, Long> dumped = new HashMap<>();
    manifest
        .get("tables")
        .forEach(t -> dumped.put(t.get("table").asText(), t.get("rows").asLong()));
    assertThat(dumped).containsEntry("orders", 3000L).containsEntry("order_items", 9000L);
    assertThat(dumped).isEqualTo(restoreAndCount(archive, dumped.keySet().stream().toList()));
    assertThat(end.data().statistics()).containsEntry("tables", dumped.size());
  }

  @Test
  void every_result_event_matches_the_published_schemas() {
    Command command = Commands.backup(fleet.target("payment_db")).build();
    publisher.publish(command).join();
    results.awaitTerminal(command.id());

    ResultCodec codec = new ResultCodec();
    assertThat(results.records())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(codec.violation(r.value())).isEmpty());
  }

  @Test
  void the_same_command_id_published_three_times_runs_once() {
    String target = fleet.target("payment_db");
    Command command = Commands.backup(target).id("nightly:" + target + ":2026-11-21").build();

    for (int i = 0; i < 3; i++) {
      publisher.publish(command).join();
    }
    List<ResultEvent> ends =
        results.awaitCount(
            e -> command.id().equals(e.data().commandId()) && e.outcome().isTerminal(), 3);

    assertThat(ends)
        .extracting(ResultEvent::outcome)
        .containsExactly(Outcome.SUCCEEDED, Outcome.DUPLICATE, Outcome.DUPLICATE);
    assertThat(ends.get(1).data().original().outcome()).isEqualTo("succeeded");
    assertThat(results.eventsFor(command.id()))
        .filteredOn(e -> e.outcome() == Outcome.STARTED)
        .hasSize(1);
    List<String> stored =
        s3
            .listObjectsV2Paginator(b -> b.bucket(fleet.bucket).prefix("backups/" + target + "/"))
            .contents()
            .stream()
            .map(S3Object::key)
            .filter(k -> k.contains(command.id()))
            .toList();
    assertThat(stored)
        .hasSize(2)
        .anyMatch(k -> k.endsWith(".dump"))
        .anyMatch(k -> k.endsWith(".manifest.json"));
  }

  /** Restores the dump into a fresh database with the real pg_restore and counts every table. */
  private static Map<String, Long> restoreAndCount(Path dump, List<String> tables)
      throws Exception {
    LocalPostgres pg = fleet.stack.postgres();
    String scratch = fleet.id + "_restored";
    pg.execute("postgres", "DROP DATABASE IF EXISTS " + scratch);
    pg.execute("postgres", "CREATE DATABASE " + scratch);
    Artifacts.run(
        List.of(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "-h",
            pg.host(),
            "-p",
            String.valueOf(pg.port()),
            "-U",
            pg.superuser(),
            "-d",
            scratch,
            dump.toString()),
        Map.of("PGPASSWORD", pg.superuserPassword()));
    Map<String, Long> counts = new HashMap<>();
    try (Connection c = pg.connect(scratch);
        Statement st = c.createStatement()) {
      for (String table : tables) {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM public.\"" + table + "\"")) {
          rs.next();
          counts.put(table, rs.getLong(1));
        }
      }
    }
    return counts;
  }
}
