package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.WorkerConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target database is down: runs are tried a bounded number of times, then the circuit opens and
 * runs fail at once, retryable; after recovery the next run succeeds. No hot loop.
 */
@Tag("faults")
class TargetOutageTest {
  private static final int TRIES = 3;
  private static final int WHILE_DOWN = 5;

  @TempDir Path dir;

  @Test
  void a_target_that_is_down_fails_runs_retryably_opens_its_circuit_and_recovers()
      throws Exception {
    LocalStack shared = LocalStack.shared();
    shared.s3().createBucket("outage");
    shared.postgres().createDatabase("outage_ledger", shared.postgres().superuser());
    Topics topics = new Topics("outage");
    try (LocalPostgres target = LocalPostgres.start(dir.resolve("pg"))) {
      SampleDatabase db = Probes.tinyDatabase(target, "outage_db");
      var config =
          WorkerConfigs.retries(
              LocalWorkerConfigs.of(
                  shared.kafka(),
                  shared.s3(),
                  shared.postgres(),
                  target,
                  "outage-w",
                  topics,
                  "outage",
                  "outage_ledger",
                  List.of(db)),
              TRIES,
              Duration.ofMillis(300));
      try (ResultStream results =
              new ResultStream(shared.kafka().bootstrapServers(), topics.results());
          Worker worker = Worker.start(config);
          CommandPublisher publisher =
              CommandPublisher.connect(shared.kafka().bootstrapServers(), topics, Map.of())) {
        target.stop();
        List<ResultEvent> failures = new ArrayList<>();
        for (int i = 0; i < WHILE_DOWN; i++) {
          Command c = Commands.backup(db.name()).id("outage-down-" + i).build();
          publisher.publish(c).join();
          failures.add(results.awaitTerminal(c.id()));
        }
        target.start();
        Thread.sleep(Duration.ofMillis(300).multipliedBy(16).plusSeconds(1).toMillis());
        Command recovered = Commands.backup(db.name()).id("outage-recovered").build();
        publisher.publish(recovered).join();

        assertThat(failures)
            .allSatisfy(
                f -> {
                  assertThat(f.outcome()).isEqualTo(Outcome.FAILED);
                  assertThat(f.data().error().code()).isEqualTo("TARGET_UNREACHABLE");
                  assertThat(f.data().error().retryable()).isTrue();
                });
        assertThat(failures.get(0).data().error().message())
            .startsWith("gave up after " + TRIES + " tries");
        long untried =
            failures.stream()
                .filter(f -> f.data().error().message().startsWith("not tried"))
                .count();
        assertThat(untried)
            .as("runs refused by the open circuit")
            .isGreaterThanOrEqualTo(WHILE_DOWN - 2);
        assertThat(results.awaitTerminal(recovered.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
        FaultSummary.record("target database down", WHILE_DOWN + 1, WHILE_DOWN + 1, 1, 0, 0);
      }
    }
  }
}
