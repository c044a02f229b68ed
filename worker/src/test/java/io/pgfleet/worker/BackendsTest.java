package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.worker.config.WorkerConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BackendsTest {
  private static Fleet fleet;

  @BeforeAll
  static void start() {
    fleet = new Fleet("order_db");
  }

  @AfterAll
  static void stop() throws Exception {
    fleet.close();
  }

  @Test
  void a_start_interrupted_while_kafka_does_not_answer_closes_the_ledger_it_had_opened()
      throws Exception {
    WorkerConfig real = fleet.workerConfig("backends-w", UnaryOperator.identity());
    WorkerConfig noKafka =
        new WorkerConfig(
            real.workerId(),
            new KafkaSettings(
                "127.0.0.1:1", // nothing listens: creating the topics waits
                real.kafka().topics(),
                real.kafka().groupId(),
                Map.of("default.api.timeout.ms", "20000", "request.timeout.ms", "20000")),
            real.ledger(),
            real.storage(),
            real.runs(),
            real.security(),
            real.targets());
    List<AutoCloseable> resources = new ArrayList<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread starter =
        new Thread(
            () -> {
              try {
                Backends.open(noKafka, resources);
              } catch (Throwable t) {
                thrown.set(t);
              }
            });
    starter.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> ledgerConnections() > 0);

    starter.interrupt();
    starter.join(10_000);

    assertThat(thrown.get()).hasMessage("interrupted while the worker started");
    assertThat(resources).isEmpty();
    await()
        .atMost(Duration.ofSeconds(15))
        .alias("the ledger's connections, closed once it has opened")
        .until(() -> ledgerConnections() == 0);
  }

  private static int ledgerConnections() throws Exception {
    var pg = fleet.stack.postgres();
    try (Connection c =
            DriverManager.getConnection(
                pg.jdbcUrl("postgres"), pg.superuser(), pg.superuserPassword());
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = ? AND application_name = 'pgfleet-ledger'")) {
      ps.setString(1, fleet.ledgerDatabase);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
