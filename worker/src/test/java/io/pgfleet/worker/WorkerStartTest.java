package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The worker opens its topics, ledger and bucket side by side, and each still stops its start. */
class WorkerStartTest {

  @Test
  void a_worker_whose_bucket_is_missing_refuses_to_start_and_closes_the_ledger_it_opened()
      throws Exception {
    try (Fleet fleet = new Fleet("order_db")) {
      WorkerConfig good = fleet.workerConfig("start-1", UnaryOperator.identity());
      long poolsBefore = ledgerPools();
      WorkerConfig config = WorkerConfigs.storage(good, bucket(good.storage(), "no-such-bucket"));

      assertThatThrownBy(() -> Worker.start(config))
          .hasMessageContaining("bucket 'no-such-bucket' is not reachable");

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(ledgerPools()).isEqualTo(poolsBefore));
      try (Worker worker = Worker.start(good)) {
        assertThat(worker.targets()).hasSize(1);
      }
    }
  }

  /** Hikari's housekeeper threads of ledger pools alive in this JVM. */
  private static long ledgerPools() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().equals("pgfleet-ledger housekeeper"))
        .count();
  }

  private static StorageSettings bucket(StorageSettings s, String bucket) {
    return new StorageSettings(
        s.endpoint(),
        s.region(),
        bucket,
        s.prefix(),
        s.pathStyle(),
        s.accessKey(),
        s.secretKey(),
        s.partSizeBytes(),
        s.maxBytesPerSecond(),
        s.timeouts());
  }
}
