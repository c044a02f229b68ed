package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.worker.config.PitrSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WalStreamSettings;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.ledger.StreamLeases;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.target.TargetDatabase;
import io.pgfleet.worker.wal.stream.WalStreams;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Closing the worker's WAL streams while a tick takes, starts or renews a stream leaves nothing
 * behind: no stream thread, no replication connection on the slot, no lease held.
 */
class WalStreamCloseTest {
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final int ROUNDS = 20;

  @Test
  void closing_during_a_tick_leaves_no_stream_connection_or_lease_behind() throws Exception {
    try (Fleet fleet = new Fleet("warehouse_db")) {
      String name = fleet.target("warehouse_db");
      String owner = fleet.databases.get("warehouse_db").owner();
      fleet.stack.postgres().execute("postgres", "ALTER ROLE \"" + owner + "\" REPLICATION");
      WalStreamSettings streaming = new WalStreamSettings(true, null, Duration.ofMillis(200));
      WorkerConfig config =
          fleet.workerConfig(
              "close-race",
              t -> t.toBuilder().pitr(PitrSettings.DEFAULTS.withStream(streaming)).build());
      TargetConfig target = config.targets().get(name);
      String slot = streaming.slotOf(name);
      try (Ledger ledger = Ledger.open(config.ledger());
          ArtifactStore store = ArtifactStore.connect(config.storage())) {
        StreamLeases leases = new StreamLeases(ledger.dataSource());
        Map<String, TargetDatabase> targets = Map.of(name, new TargetDatabase(target));
        for (int round = 0; round < ROUNDS; round++) {
          WalStreams streams =
              WalStreams.start("close-race", targets, leases, store, TTL, new WorkerMetrics());
          // the first tick runs at once: take the lease, connect, start the stream thread
          Thread.sleep(ThreadLocalRandom.current().nextInt(0, 400));
          streams.close();

          assertThat(streamThreads()).as("round %d: stream threads after close", round).isZero();
          Thread.sleep(300); // a tick that outlived close would start its stream about now
          assertThat(streamThreads()).as("round %d: stream started after close", round).isZero();
          await("round " + round + ": the slot has no replication connection")
              .atMost(Duration.ofSeconds(10))
              .until(() -> !slotActive(fleet, slot));
          OptionalLong probe = leases.take(name, slot, "probe", TTL);
          assertThat(probe).as("round %d: the lease was released", round).isPresent();
          leases.release(name, "probe", probe.getAsLong());
        }
      } finally {
        fleet
            .stack
            .postgres()
            .execute(
                "postgres",
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                    + " WHERE slot_name = '"
                    + slot
                    + "' AND NOT active");
      }
    }
  }

  private static long streamThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("pgfleet-wal-stream-"))
        .count();
  }

  private static boolean slotActive(Fleet fleet, String slot) throws Exception {
    try (Connection c = fleet.stack.postgres().connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name = '"
                    + slot
                    + "'")) {
      rs.next();
      return rs.getInt(1) > 0;
    }
  }
}
