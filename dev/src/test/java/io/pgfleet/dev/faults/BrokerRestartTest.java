package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalKafka;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.WorkerConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka broker restarts while a backup runs: nothing lost, nothing executed twice. */
@Tag("faults")
class BrokerRestartTest {
  @TempDir Path dir;

  @Test
  void a_broker_restart_mid_run_loses_no_command_and_duplicates_no_execution() throws Exception {
    LocalStack shared = LocalStack.shared();
    SampleDatabase db = SampleFleet.create(shared.postgres(), "payment_db", "restart_db");
    shared.s3().createBucket("restart");
    shared.postgres().createDatabase("restart_ledger", shared.postgres().superuser());
    Topics topics = new Topics("restart");
    try (LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"))) {
      var config =
          WorkerConfigs.throttled(
              LocalWorkerConfigs.of(
                  kafka,
                  shared.s3(),
                  shared.postgres(),
                  shared.postgres(),
                  "restart-w",
                  topics,
                  "restart",
                  "restart_ledger",
                  List.of(db)),
              20 * 1024);
      try (ResultStream results = new ResultStream(kafka.bootstrapServers(), topics.results());
          Worker worker = Worker.start(config);
          CommandPublisher publisher =
              CommandPublisher.connect(kafka.bootstrapServers(), topics, Map.of())) {
        Command during = Commands.backup(db.name()).id("restart-during").build();
        publisher.publish(during).join();
        results.awaitEvent(
            e -> during.id().equals(e.data().commandId()) && e.outcome() == Outcome.PROGRESS);

        kafka.restart();
        Command after = Commands.backup(db.name()).id("restart-after").build();
        publisher.publish(after).get();

        ResultEvent first = results.awaitTerminal(during.id());
        ResultEvent second = results.awaitTerminal(after.id());
        assertThat(first.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(second.outcome()).isEqualTo(Outcome.SUCCEEDED);
        long starts =
            results.events().stream()
                .filter(e -> e.outcome() == Outcome.STARTED)
                .map(ResultEvent::id)
                .distinct()
                .count();
        assertThat(starts).isEqualTo(2);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(
                            Probes.count(
                                shared.postgres(),
                                "restart_ledger",
                                "SELECT count(*) FROM pgfleet.runs WHERE state = 'succeeded' AND attempt = 1"))
                        .isEqualTo(2));
        FaultSummary.record("broker restart mid-run", 1, 2, (int) starts, 0, (int) starts - 2);
      }
    }
  }
}
