package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A purge interrupted mid-way is delivered again and continues where it stopped. */
class PurgeResumeTest {
  private static final String EXPIRED =
      "SELECT key FROM event_idempotency WHERE created_at < now() - interval '14 days'";

  private static Fleet fleet;
  private static ResultStream results;
  private static Sql payments;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("payment_db");
    payments = new Sql(fleet.stack.postgres(), fleet.target("payment_db"));
    payments.execute(
        "INSERT INTO event_idempotency (key, created_at) SELECT 'old-' || i,"
            + " now() - interval '20 days' - i * interval '1 second'"
            + " FROM generate_series(1, 3000) AS i");
    // Slow by the rows themselves (about 1 ms each to delete), not by pauses, which follow only a
    // batch another session waited for.
    payments.execute(
        "CREATE FUNCTION slow_delete() RETURNS trigger LANGUAGE plpgsql AS"
            + " $$ BEGIN PERFORM pg_sleep(0.001); RETURN OLD; END $$");
    payments.execute(
        "CREATE TRIGGER slow_delete BEFORE DELETE ON event_idempotency"
            + " FOR EACH ROW EXECUTE FUNCTION slow_delete()");
    results = fleet.results();
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void a_worker_stopped_mid_purge_hands_it_over_and_the_next_attempt_finishes_it() {
    Set<String> expired = new HashSet<>(payments.strings(EXPIRED));
    String keep =
        "SELECT key FROM event_idempotency WHERE created_at >= now() - interval '14 days'";
    Set<String> kept = new HashSet<>(payments.strings(keep));
    Worker first = fleet.startWorker(config("worker-1"));
    Command command = Commands.purge(fleet.target("payment_db"), "idempotency-slow").build();

    fleet.publisher().publish(command).join();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> payments.strings(EXPIRED).size() < expired.size() - 1_000);
    first.close();
    long leftByFirst = payments.strings(EXPIRED).size();
    fleet.startWorker(config("worker-2"));
    ResultEvent end = results.awaitTerminal(command.id());

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().attempt()).isEqualTo(2);
    assertThat(results.eventsFor(command.id()))
        .filteredOn(e -> e.outcome() == Outcome.STARTED)
        .extracting(e -> e.data().attempt())
        .containsExactly(1, 2);
    assertThat(leftByFirst).isPositive();
    assertThat(end.data().statistics()).containsEntry("rowsDeleted", (int) leftByFirst);
    assertThat(payments.strings(EXPIRED)).isEmpty();
    assertThat(new HashSet<>(payments.strings("SELECT key FROM event_idempotency")))
        .isEqualTo(kept);
  }

  /** Small fixed batches (of slow rows), and a worker that stops without grace. */
  private static WorkerConfig config(String workerId) {
    WorkerConfig c =
        fleet.workerConfig(
            workerId,
            t ->
                t.toBuilder()
                    .purgePolicy(
                        PurgePolicy.builder("idempotency-slow")
                            .table("event_idempotency")
                            .timeColumn("created_at")
                            .olderThan(Duration.ofDays(14))
                            .batchSize(200)
                            .maxBatchSize(200)
                            .build())
                    .build());
    RunSettings runs = c.runs();
    return new WorkerConfig(
        c.workerId(),
        c.kafka(),
        c.ledger(),
        c.storage(),
        new RunSettings(
            runs.leaseTtl(),
            runs.maxConcurrentRuns(),
            runs.progressInterval(),
            Duration.ZERO,
            runs.tries(),
            runs.retryBackoff()),
        c.security(),
        c.targets(),
        c.encryption(),
        c.metrics());
  }
}
