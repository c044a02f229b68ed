package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** 10,000 malformed or hostile commands: every one rejected with a reason, nothing executed. */
@Tag("faults")
class HostileCommandsTest {
  private static final int COUNT = 10_000;

  @Test
  void ten_thousand_hostile_commands_are_all_rejected_and_nothing_runs() throws Exception {
    LocalStack stack = LocalStack.shared();
    SampleDatabase db = Probes.tinyDatabase(stack.postgres(), "hostile_db");
    stack.s3().createBucket("hostile");
    stack.postgres().createDatabase("hostile_ledger", stack.postgres().superuser());
    Topics topics = new Topics("hostile");
    var config =
        LocalWorkerConfigs.of(stack, "hostile-w", topics, "hostile", "hostile_ledger", List.of(db));
    try (ResultStream results =
            new ResultStream(stack.kafka().bootstrapServers(), topics.results());
        Worker worker = Worker.start(config);
        KafkaProducer<String, byte[]> producer = producer(stack.kafka().bootstrapServers())) {
      HostileCommands generator = new HostileCommands(db.name(), 20261121L);
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < COUNT; i++) {
        sent.add(
            producer.send(
                new ProducerRecord<>(topics.commands(db.name()), db.name(), generator.next())));
      }
      Set<Long> offsets = new HashSet<>();
      for (Future<RecordMetadata> f : sent) {
        offsets.add(f.get().offset());
      }

      List<ResultEvent> rejected =
          org.awaitility.Awaitility.await()
              .atMost(Duration.ofMinutes(5))
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () ->
                      results.events().stream()
                          .filter(
                              e ->
                                  e.data().origin() != null
                                      && offsets.contains(e.data().origin().offset()))
                          .toList(),
                  l -> l.stream().map(e -> e.data().origin().offset()).distinct().count() >= COUNT);

      assertThat(rejected)
          .allSatisfy(
              e -> {
                assertThat(e.outcome()).isEqualTo(Outcome.REJECTED);
                assertThat(e.data().error().code()).isNotBlank();
                assertThat(e.data().error().message()).isNotBlank();
              });
      assertThat(
              Probes.count(stack.postgres(), "hostile_ledger", "SELECT count(*) FROM pgfleet.runs"))
          .as("claims in the ledger: nothing reached execution")
          .isZero();
      assertThat(results.events()).noneMatch(e -> e.outcome() == Outcome.STARTED);

      Command valid = Commands.backup(db.name()).build();
      try (CommandPublisher publisher =
          CommandPublisher.connect(stack.kafka().bootstrapServers(), topics, Map.of())) {
        publisher.publish(valid).join();
      }
      assertThat(results.awaitTerminal(valid.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
      FaultSummary.record("10,000 hostile commands", COUNT, COUNT, 0, 0, 0);
    }
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * 1024 * 1024));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaProducer<>(p);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
