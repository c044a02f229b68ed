package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.CheckIntegrityParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.MetricsSettings;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * check-integrity's outcome as per-target gauges, scraped from the worker's real endpoint: when the
 * last check ended and how many corrupt relations it found, also after a worker restart.
 */
class IntegrityMetricsTest {
  private static Fleet fleet;
  private static TargetSessions orders;
  private static TargetSessions warehouse;
  private static final Map<String, Worker> workers = new ConcurrentHashMap<>();

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "warehouse_db");
    orders = new TargetSessions(fleet, "order_db");
    warehouse = new TargetSessions(fleet, "warehouse_db");
    DamagedIndex.allowAmcheck(orders);
    DamagedIndex.allowAmcheck(warehouse);
    start("worker-im");
  }

  @AfterAll
  static void stopFleet() throws Exception {
    orders.close();
    warehouse.close();
    fleet.close();
  }

  @Test
  void a_clean_database_checked_shows_zero_corrupt_relations_and_when_it_was_checked() {
    String target = fleet.target("warehouse_db");
    Instant before = Instant.now();
    ResultEvent end = check(target);
    Instant after = Instant.now();

    Scrape scrape = scrapeOf(end);
    String t = "target=\"" + target + "\"";
    assertThat(scrape.require("pgfleet_integrity_corrupt_relations", t)).isEqualTo(0);
    assertThat(scrape.require("pgfleet_integrity_check_timestamp_seconds", t))
        .isBetween((double) before.getEpochSecond(), (double) after.getEpochSecond());
    Finding checksums = finding(end, "checksum-failures");
    if (checksums.value() == null) { // the local stack's initdb leaves data checksums off
      assertThat(scrape.value("pgfleet_integrity_checksum_failures", t)).isEmpty();
    } else {
      assertThat(scrape.require("pgfleet_integrity_checksum_failures", t))
          .isEqualTo(checksums.value().doubleValue());
    }
  }

  @Test
  void a_corrupt_index_found_counts_one_corrupt_relation_also_on_a_worker_started_after_it() {
    String target = fleet.target("order_db");
    String t = "target=\"" + target + "\"";
    assertThat(scrapeOf(check(target)).require("pgfleet_integrity_corrupt_relations", t))
        .isEqualTo(0);
    DamagedIndex.create(orders);

    ResultEvent end = check(target);

    assertThat(finding(end, "heap-and-btree").value().intValue()).isEqualTo(1);
    Scrape scrape = scrapeOf(end);
    assertThat(scrape.require("pgfleet_integrity_corrupt_relations", t)).isEqualTo(1);
    double checkedAt = scrape.require("pgfleet_integrity_check_timestamp_seconds", t);
    assertThat(checkedAt).isEqualTo((double) end.data().finishedAt().getEpochSecond());

    // a worker started afterwards learns the last check from the ledger, before any new run
    Worker later = start("worker-im-later");
    Scrape remembered = Scrape.get(later.metricsPort(), "/metrics");
    assertThat(remembered.require("pgfleet_integrity_corrupt_relations", t)).isEqualTo(1);
    assertThat(remembered.require("pgfleet_integrity_check_timestamp_seconds", t))
        .isEqualTo(checkedAt);
  }

  private static Worker start(String id) {
    Worker worker =
        fleet.startWorker(
            fleet.workerConfig(id, UnaryOperator.identity()).withMetrics(new MetricsSettings(0)));
    workers.put(id, worker);
    return worker;
  }

  /** The endpoint of the worker that ran it: each worker exports what it saw. */
  private static Scrape scrapeOf(ResultEvent end) {
    return Scrape.get(workers.get(end.data().worker()).metricsPort(), "/metrics");
  }

  private static ResultEvent check(String target) {
    Command command =
        Commands.of(Operation.CHECK_INTEGRITY, target, CheckIntegrityParams.defaults()).build();
    fleet.publisher().publish(command).join();
    ResultEvent end = fleet.results().awaitTerminal(command.id());
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    return end;
  }

  private static Finding finding(ResultEvent end, String check) {
    return end.data().findings().stream()
        .filter(f -> f.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + check + " in " + end));
  }
}
