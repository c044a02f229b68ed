package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.MetricsSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runbook 003's "DR testing: RTO &lt; 30 min": a restore drill held to the target's rto. */
class RestoreDrillRtoTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static String tight;
  private static String relaxed;
  private static int metricsPort;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "warehouse_db");
    results = fleet.results();
    publisher = fleet.publisher();
    tight = fleet.target("order_db");
    relaxed = fleet.target("warehouse_db");
    Map<String, Duration> rto = Map.of(tight, Duration.ofMillis(1), relaxed, Duration.ofHours(1));
    Worker worker =
        fleet.startWorker(
            fleet
                .workerConfig(
                    "worker-rto",
                    t ->
                        t.toBuilder()
                            .restore(fleet.restoreAsSuperuser(true))
                            .rto(rto.get(t.name()))
                            .build())
                .withMetrics(new MetricsSettings(0)));
    metricsPort = worker.metricsPort();
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void a_drill_whose_restore_took_longer_than_a_1ms_rto_reports_the_rto_missed() {
    ResultEvent end = backupThenDrill(tight);

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = end.data().statistics();
    long restoreMs = ((Number) stats.get("restoreMs")).longValue();
    assertThat(restoreMs).isGreaterThan(1);
    assertThat(stats).containsEntry("rtoMs", 1).containsEntry("rtoMet", false);
    Finding rto = end.data().findings().get(0);
    assertThat(rto.check()).isEqualTo("rto");
    assertThat(rto.status()).isEqualTo(Status.CRITICAL);
    assertThat(rto.unit()).isEqualTo("seconds");
    assertThat(rto.value().doubleValue()).isEqualTo(restoreMs / 1000.0);
    assertThat(rto.thresholds().critical().doubleValue()).isEqualTo(0.001);
    assertThat(rto.message()).startsWith("RTO missed: the restore took ").contains("0.001s RTO");

    Scrape scrape = Scrape.get(metricsPort, "/metrics");
    String target = "target=\"" + tight + "\"";
    assertThat(scrape.require("pgfleet_rto_seconds", target)).isEqualTo(0.001);
    assertThat(scrape.require("pgfleet_last_verify_restore_seconds", target))
        .isEqualTo(restoreMs / 1000.0)
        .isGreaterThan(scrape.require("pgfleet_rto_seconds", target));
  }

  @Test
  void a_drill_within_a_one_hour_rto_reports_it_met() {
    ResultEvent end = backupThenDrill(relaxed);

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics())
        .containsEntry("rtoMs", 3_600_000)
        .containsEntry("rtoMet", true);
    Finding rto = end.data().findings().get(0);
    assertThat(rto.status()).isEqualTo(Status.OK);
    assertThat(rto.message()).startsWith("the restore took ").endsWith("within the 1h RTO");
    String target = "target=\"" + relaxed + "\"";
    assertThat(Scrape.get(metricsPort, "/metrics").require("pgfleet_rto_seconds", target))
        .isEqualTo(3600);
    ResultCodec codec = new ResultCodec();
    assertThat(results.records()).allSatisfy(r -> assertThat(codec.violation(r.value())).isEmpty());
  }

  private static ResultEvent backupThenDrill(String target) {
    Command backup = Commands.backup(target).build();
    publisher.publish(backup).join();
    assertThat(results.awaitTerminal(backup.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    Command drill =
        Commands.of(Operation.VERIFY_BACKUP, target, VerifyBackupParams.latest()).build();
    publisher.publish(drill).join();
    return results.awaitTerminal(drill.id());
  }
}
