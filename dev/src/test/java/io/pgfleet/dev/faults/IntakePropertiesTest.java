package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.GeneratedRecords;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Generated batches (random bytes, arbitrary Unicode in every string field, other encodings, sizes
 * up to the broker's limit) published to a real worker: every record ends in exactly one terminal
 * result, and a valid command after the batch runs.
 */
@Tag("faults")
class IntakePropertiesTest {
  private static final Set<Outcome> TERMINAL =
      EnumSet.of(
          Outcome.SUCCEEDED, Outcome.FAILED, Outcome.REJECTED, Outcome.EXPIRED, Outcome.DUPLICATE);
  private static final AtomicInteger RECORDS = new AtomicInteger();
  private static final AtomicInteger RAN = new AtomicInteger();

  private static SampleDatabase db;
  private static Topics topics;
  private static Worker worker;
  private static ResultStream results;
  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeContainer
  static void start() {
    LocalStack stack = LocalStack.shared();
    db = Probes.tinyDatabase(stack.postgres(), "intake_gen_db");
    stack.s3().createBucket("intake-gen");
    stack.postgres().execute("postgres", "DROP DATABASE IF EXISTS intake_gen_ledger WITH (FORCE)");
    stack.postgres().createDatabase("intake_gen_ledger", stack.postgres().superuser());
    topics = new Topics("intakegen");
    worker =
        Worker.start(
            LocalWorkerConfigs.of(
                stack, "gen-w", topics, "intake-gen", "intake_gen_ledger", List.of(db)));
    results = new ResultStream(stack.kafka().bootstrapServers(), topics.results());
    producer = Probes.rawProducer(stack.kafka().bootstrapServers());
  }

  @AfterContainer
  static void stop() throws Exception {
    producer.close();
    worker.close();
    results.close();
    FaultSummary.record("generated records (jqwik)", 4, RECORDS.get(), RAN.get(), 0, 0);
  }

  @Property(tries = 4, seed = "20261206", shrinking = net.jqwik.api.ShrinkingMode.OFF)
  void every_generated_record_ends_in_one_result_and_the_next_command_runs(
      @ForAll @net.jqwik.api.constraints.Size(min = 60, max = 120)
          List<@net.jqwik.api.From("record") byte[]> batch)
      throws Exception {
    int seen = results.records().size();
    String topic = topics.commands(db.name());
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (byte[] value : batch) {
      sends.add(producer.send(new ProducerRecord<>(topic, bytes(db.name()), value)));
    }
    Map<Long, byte[]> byOffset = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      byOffset.put(sends.get(i).get().offset(), batch.get(i));
    }
    String next = GeneratedRecords.valid(db.name());
    producer.send(new ProducerRecord<>(topic, bytes(db.name()), bytes(next))).get();
    String nextId = Json.mapper().readTree(next).get("id").asText();

    assertThat(results.awaitTerminal(nextId).outcome()).isEqualTo(Outcome.SUCCEEDED);
    List<ResultEvent> after =
        results.events().subList(seen, results.events().size()).stream()
            .filter(e -> TERMINAL.contains(e.outcome()))
            .toList();
    Map<Long, Integer> rejectedPerOffset = new HashMap<>();
    Map<String, Integer> endedPerId = new HashMap<>();
    for (ResultEvent e : after) {
      if (e.outcome() == Outcome.REJECTED && e.data().origin() != null) {
        rejectedPerOffset.merge(e.data().origin().offset(), 1, Integer::sum);
      } else {
        endedPerId.merge(e.data().commandId(), 1, Integer::sum);
      }
    }
    Map<String, Integer> admittedPerId = new HashMap<>();
    for (Map.Entry<Long, byte[]> r : byOffset.entrySet()) {
      Integer rejections = rejectedPerOffset.get(r.getKey());
      if (rejections == null) {
        admittedPerId.merge(idOf(r.getValue()), 1, Integer::sum);
      } else {
        assertThat(rejections).as("rejections of the record at %d", r.getKey()).isOne();
      }
    }
    endedPerId.remove(nextId);
    assertThat(endedPerId)
        .as("terminal results of admitted records, per id")
        .isEqualTo(admittedPerId);
    assertThat(rejectedPerOffset.keySet()).isSubsetOf(byOffset.keySet());
    RECORDS.addAndGet(batch.size() + 1);
    RAN.addAndGet(admittedPerId.values().stream().mapToInt(Integer::intValue).sum() + 1);
  }

  @Provide
  Arbitrary<byte[]> record() {
    return GeneratedRecords.records(db == null ? "intake_gen_db" : db.name());
  }

  private static String idOf(byte[] value) {
    try {
      return Json.mapper().readTree(new String(value, StandardCharsets.UTF_8)).get("id").asText();
    } catch (Exception e) {
      return "(unreadable: admitted without a result)";
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
