package io.pgfleet.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.fleet.FleetStatus;
import io.pgfleet.dispatcher.fleet.Projection;
import io.pgfleet.dispatcher.fleet.Run;
import io.pgfleet.dispatcher.fleet.RunStore;
import io.pgfleet.dispatcher.fleet.TargetDirectory;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.fleet.TargetStatus;
import io.pgfleet.runtime.ControlDatabase;
import io.pgfleet.testing.SettableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The results projection on the real ledger database, fed events in awkward orders. */
class ProjectionTest {
  private static TestFleet fleet;
  private static HikariDataSource ledger;
  private static Projection projection;
  private static RunStore runs;
  private static final Instant T0 = Instant.parse("2026-11-21T02:00:00Z");

  @BeforeAll
  static void open() {
    fleet = new TestFleet();
    ledger = ControlDatabase.pool(fleet.ledger(), "projection-test");
    DispatcherSchema.migrate(ledger);
    projection = new Projection(ledger);
    runs = new RunStore(ledger);
  }

  @AfterAll
  static void close() throws Exception {
    ledger.close();
    fleet.close();
  }

  @Test
  void a_replayed_or_late_event_never_undoes_a_terminal_state() {
    JsonNode started =
        event(
            "e1",
            "started",
            "db_a",
            "c1",
            "backup",
            T0,
            "\"attempt\": 1, \"startedAt\": \"" + T0 + "\"");
    JsonNode succeeded =
        event(
            "e2",
            "succeeded",
            "db_a",
            "c1",
            "backup",
            T0.plusSeconds(60),
            "\"attempt\": 1, \"startedAt\": \""
                + T0
                + "\", \"finishedAt\": \""
                + T0.plusSeconds(60)
                + "\"");

    assertThat(projection.apply(succeeded)).isTrue();
    assertThat(projection.apply(started)).isTrue(); // arrives late
    assertThat(projection.apply(succeeded)).isFalse(); // replayed

    Run run = runs.run("c1").orElseThrow();
    assertThat(run.status()).isEqualTo("succeeded");
    assertThat(run.finishedAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(run.events())
        .extracting(Run.RunEvent::outcome)
        .containsExactly("started", "succeeded");
  }

  @Test
  void a_terminal_event_that_finds_its_run_finished_otherwise_is_logged_as_a_warning() {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(Projection.class);
    logs.start();
    logger.addAppender(logs);
    try {
      projection.apply(event("w1", "succeeded", "db_w", "cw", "backup", T0, "\"attempt\": 1"));
      projection.apply(
          event(
              "w2",
              "duplicate",
              "db_w",
              "cw",
              "backup",
              T0,
              "\"original\": {\"outcome\": \"succeeded\", \"attempt\": 1}"));
      assertThat(logs.list).noneMatch(e -> e.getLevel() == Level.WARN);

      projection.apply(
          event(
              "w3",
              "failed",
              "db_w",
              "cw",
              "backup",
              T0.plusSeconds(1),
              "\"attempt\": 2, \"error\": {\"code\": \"INTERNAL\", \"message\": \"x\"}"));
    } finally {
      logger.detachAppender(logs);
    }

    assertThat(runs.run("cw").orElseThrow().status()).isEqualTo("succeeded");
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "result event "
                + fleet.id
                + "w3 (failed) for run cw changed nothing: the run is already succeeded and keeps"
                + " it");
  }

  @Test
  void a_run_is_read_with_its_status_and_events_from_the_same_instant() throws Exception {
    int count = 100;
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < count; i++) {
                projection.apply(
                    event("s" + i, "started", "db_s", "cs" + i, "backup", T0, "\"attempt\": 1"));
                projection.apply(
                    event("t" + i, "succeeded", "db_s", "cs" + i, "backup", T0, "\"attempt\": 1"));
              }
            });
    List<String> torn = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "cs" + i;
      while (true) {
        Run run = runs.run(id).orElse(null);
        if (run == null) {
          if (writer.isCompletedExceptionally()) {
            writer.join();
          }
          continue;
        }
        boolean finishedEvent =
            run.events().stream().anyMatch(e -> e.outcome().equals("succeeded"));
        if (finishedEvent != run.status().equals("succeeded")) {
          torn.add(id + " " + run.status() + " " + run.events().size());
        }
        if (finishedEvent) {
          break;
        }
      }
    }
    writer.join();

    assertThat(torn).isEmpty();
  }

  @Test
  void a_duplicate_of_a_run_never_seen_takes_the_original_outcome() {
    projection.apply(
        event(
            "e3",
            "duplicate",
            "db_b",
            "c2",
            "backup",
            T0,
            "\"original\": {\"outcome\": \"failed\", \"attempt\": 1, \"finishedAt\": \""
                + T0
                + "\"}"));

    assertThat(runs.run("c2").orElseThrow().status()).isEqualTo("failed");
  }

  @Test
  void vacuum_and_health_results_feed_the_targets_status_with_the_worst_finding() {
    projection.apply(
        event("e4", "succeeded", "db_c", "c3", "vacuum", T0, "\"finishedAt\": \"" + T0 + "\""));
    projection.apply(
        event(
            "e5",
            "succeeded",
            "db_c",
            "c4",
            "health-check",
            T0,
            "\"finishedAt\": \""
                + T0
                + "\", \"findings\": ["
                + "{\"check\": \"connections\", \"status\": \"warning\", \"message\": \"84% of max_connections\"},"
                + "{\"check\": \"wraparound\", \"status\": \"critical\", \"message\": \"age 1.9e9\"},"
                + "{\"check\": \"dead-tuples\", \"status\": \"ok\"}]"));
    projection.apply(
        event(
            "e6",
            "failed",
            "db_c",
            "c5",
            "backup",
            T0,
            "\"finishedAt\": \""
                + T0
                + "\", \"error\": {\"code\": \"TARGET_UNREACHABLE\", \"message\": \"down\", \"retryable\": true}"));

    FleetSettings settings =
        new FleetSettings(
            false,
            TargetPolicy.defaults(),
            Map.of("db_c", TargetPolicy.ofRpo(Duration.ofHours(26))));
    try (TargetDirectory directory =
        new TargetDirectory(settings, fleet.topics, "unused:9092", Map.of())) {
      TargetStatus status =
          new FleetStatus(ledger, directory, runs, new SettableClock(T0.plus(Duration.ofHours(1))))
              .targets()
              .get(0);
      assertThat(status.vacuum().ageSeconds()).isEqualTo(3600);
      assertThat(status.health().status()).isEqualTo("critical");
      assertThat(status.health().worstFinding().get("check").asText()).isEqualTo("wraparound");
      assertThat(status.backup().status()).isEqualTo("red");
      assertThat(status.backup().lastFailure()).isEqualTo("TARGET_UNREACHABLE");
    }
  }

  @Test
  void the_newest_recoverable_window_reported_by_base_backup_or_prune_is_the_targets() {
    String window =
        "\"statistics\": {\"recoverableWindow\": {\"startLsn\": \"0/%s\", \"startTime\": \"%s\","
            + " \"endSegment\": \"000000010000000000000009\", \"endArchivedAt\": \"%s\"}}";
    projection.apply(
        event(
            "e7",
            "succeeded",
            "db_w",
            "c7",
            "prune-backups",
            T0.plusSeconds(60),
            "\"finishedAt\": \""
                + T0.plusSeconds(60)
                + "\", "
                + window.formatted("5000028", T0.minusSeconds(86400), T0)));
    projection.apply( // an older run's result arriving late changes nothing
        event(
            "e8",
            "succeeded",
            "db_w",
            "c8",
            "base-backup",
            T0,
            "\"finishedAt\": \"" + T0 + "\", " + window.formatted("2000028", T0, T0)));

    FleetSettings settings =
        new FleetSettings(false, TargetPolicy.defaults(), Map.of("db_w", TargetPolicy.defaults()));
    try (TargetDirectory directory =
        new TargetDirectory(settings, fleet.topics, "unused:9092", Map.of())) {
      TargetStatus status =
          new FleetStatus(ledger, directory, runs, new SettableClock(T0))
              .targets().stream().filter(t -> t.target().equals("db_w")).findFirst().orElseThrow();
      assertThat(status.recoverableWindow().get("startLsn").asText()).isEqualTo("0/5000028");
      assertThat(status.recoverableWindow().get("endSegment").asText())
          .isEqualTo("000000010000000000000009");
    }
  }

  @Test
  void a_succeeded_restore_drill_dates_the_targets_verified_backup_from_its_result() {
    String drill = "\"finishedAt\": \"%s\", \"statistics\": {\"backupFinishedAt\": \"%s\"}";
    projection.apply(
        event(
            "e9",
            "succeeded",
            "db_v",
            "c9",
            "verify-backup",
            T0,
            drill.formatted(T0, T0.minus(Duration.ofHours(3)))));
    projection.apply( // a drill of an older backup, reported later, changes nothing
        event(
            "e10",
            "succeeded",
            "db_v",
            "c10",
            "verify-backup",
            T0.plusSeconds(60),
            drill.formatted(T0.plusSeconds(60), T0.minus(Duration.ofHours(30)))));

    FleetSettings settings =
        new FleetSettings(false, TargetPolicy.defaults(), Map.of("db_v", TargetPolicy.defaults()));
    try (TargetDirectory directory =
        new TargetDirectory(settings, fleet.topics, "unused:9092", Map.of())) {
      TargetStatus status =
          new FleetStatus(ledger, directory, runs, new SettableClock(T0))
              .targets().stream().filter(t -> t.target().equals("db_v")).findFirst().orElseThrow();
      assertThat(status.verifiedBackup().ageSeconds()).isEqualTo(3 * 3600);
    }
  }

  @Test
  void the_newest_check_integrity_result_gives_the_targets_integrity_with_its_corrupt_relations() {
    String integrity =
        "\"finishedAt\": \"%s\", \"statistics\": {\"corruptRelations\": %d, \"status\": \"%s\"},"
            + " \"findings\": [{\"check\": \"heap-and-btree\", \"status\": \"%s\", \"value\": %d,"
            + " \"message\": \"%s\"}, {\"check\": \"checksum-failures\", \"status\": \"ok\","
            + " \"value\": 0, \"message\": \"no checksum failures\"}]";
    Instant later = T0.plusSeconds(60);
    projection.apply(
        event(
            "e11",
            "succeeded",
            "db_i",
            "c11",
            "check-integrity",
            later,
            integrity.formatted(
                later, 1, "critical", "critical", 1, "1 corrupt relation in 6 tables")));
    projection.apply( // an older, clean check reported later changes nothing
        event(
            "e12",
            "succeeded",
            "db_i",
            "c12",
            "check-integrity",
            T0,
            integrity.formatted(T0, 0, "ok", "ok", 0, "no corruption in 6 tables")));
    projection.apply( // a failed check is no check
        event(
            "e13",
            "failed",
            "db_i",
            "c13",
            "check-integrity",
            T0.plusSeconds(120),
            "\"error\": {\"code\": \"PERMISSION_DENIED\", \"message\": \"x\"}"));

    FleetSettings settings =
        new FleetSettings(false, TargetPolicy.defaults(), Map.of("db_i", TargetPolicy.defaults()));
    try (TargetDirectory directory =
        new TargetDirectory(settings, fleet.topics, "unused:9092", Map.of())) {
      TargetStatus.Integrity checked =
          new FleetStatus(ledger, directory, runs, new SettableClock(T0))
              .targets().stream()
                  .filter(t -> t.target().equals("db_i"))
                  .findFirst()
                  .orElseThrow()
                  .integrity();
      assertThat(checked.at()).isEqualTo(later);
      assertThat(checked.status()).isEqualTo("critical");
      assertThat(checked.corruptRelations()).isEqualTo(1);
      assertThat(checked.worstFinding().get("check").asText()).isEqualTo("heap-and-btree");
      assertThat(checked.worstFinding().get("message").asText())
          .isEqualTo("1 corrupt relation in 6 tables");
    }
  }

  @Test
  void the_dispatcher_migrates_its_own_tables_and_none_of_the_workers() throws Exception {
    try (Connection c = ledger.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = 'pgfleet' ORDER BY 1")) {
      List<String> tables = new ArrayList<>();
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
      assertThat(tables).contains("fleet_runs", "fleet_targets", "flyway_dispatcher_history");
      assertThat(tables).doesNotContain("runs", "artifacts", "flyway_schema_history");
    }
  }

  @Test
  void a_backup_ages_from_green_to_amber_to_red_and_a_failure_since_makes_green_amber() {
    TargetPolicy policy = TargetPolicy.ofRpo(Duration.ofHours(26));
    assertThat(policy.freshness(Duration.ofHours(2), policy.rpo())).hasToString("GREEN");
    assertThat(policy.freshness(Duration.ofHours(24), policy.rpo())).hasToString("AMBER");
    assertThat(policy.freshness(Duration.ofHours(27), policy.rpo())).hasToString("RED");
    assertThat(policy.freshness(null, policy.rpo())).hasToString("RED");
  }

  private static JsonNode event(
      String id,
      String outcome,
      String target,
      String commandId,
      String operation,
      Instant time,
      String extra) {
    String json =
        """
        {"specversion": "1.0", "id": "%s", "source": "urn:pgfleet:worker:w", "type": "io.pgfleet.run.%s.v1",
         "subject": "%s", "time": "%s",
         "data": {"commandId": "%s", "operation": "%s", "worker": "w", %s}}
        """
            .formatted(fleet.id + id, outcome, target, time, commandId, operation, extra);
    try {
      return Json.mapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
