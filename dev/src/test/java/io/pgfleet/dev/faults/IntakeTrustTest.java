package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Headers;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every record on a command topic ends in exactly one result and the target moves on, whatever its
 * bytes: each defect found from outside (issue 13) replayed against a real worker.
 */
@Tag("faults")
class IntakeTrustTest {
  private static final String BUCKET = "intake";
  private static final String LEDGER = "intake_ledger";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static LocalStack stack;
  private static SampleDatabase db;
  private static Topics topics;
  private static Worker worker;
  private static ResultStream results;
  private static ResultStream dlq;
  private static KafkaProducer<byte[], byte[]> producer;
  private static CommandPublisher publisher;

  @BeforeAll
  static void start() {
    stack = LocalStack.shared();
    db = Probes.tinyDatabase(stack.postgres(), "intake_db");
    stack.s3().createBucket(BUCKET);
    stack.postgres().execute("postgres", "DROP DATABASE IF EXISTS " + LEDGER + " WITH (FORCE)");
    stack.postgres().createDatabase(LEDGER, stack.postgres().superuser());
    topics = new Topics("intake");
    var config =
        LocalWorkerConfigs.of(stack, "intake-w", topics, BUCKET, LEDGER, List.of(db))
            .withMetrics(new MetricsSettings(0));
    String bootstrap = stack.kafka().bootstrapServers();
    results = new ResultStream(bootstrap, topics.results());
    dlq = new ResultStream(bootstrap, topics.dlq());
    worker = Worker.start(config);
    producer = Probes.rawProducer(bootstrap);
    publisher = CommandPublisher.connect(bootstrap, topics, Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    publisher.close();
    producer.close();
    worker.close();
    results.close();
    dlq.close();
  }

  @Test
  void records_postgresql_would_refuse_are_rejected_once_and_the_target_moves_on() {
    String health = health("bom-1");
    byte[] bom = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8(health));
    List<byte[]> refused =
        List.of(
            bom,
            health("utf16-1").getBytes(StandardCharsets.UTF_16),
            utf8(terminate("nul-1", "app\\u0000x")),
            utf8(terminate("surrogate-1", "app\\ud800x")));
    List<RecordMetadata> sent = refused.stream().map(v -> send(db.name(), v)).toList();
    Command next = healthCheck();

    assertThat(results.awaitTerminal(next.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    for (int i = 0; i < sent.size(); i++) {
      ResultEvent rejected = onlyResultOf(sent.get(i));
      assertThat(rejected.data().error().code())
          .isEqualTo(i < 2 ? "INVALID_ENCODING" : "INVALID_COMMAND");
      assertThat(deadLettersOf(sent.get(i))).hasSize(1);
    }
    FaultSummary.record("BOM, UTF-16, NUL, lone surrogate", 4, 5, 1, 0, 0);
  }

  @Test
  void a_record_at_the_brokers_limit_is_rejected_once_and_kept_whole_in_s3() throws Exception {
    byte[] huge = new byte[1_048_400];
    java.util.Arrays.fill(huge, (byte) 'x');
    RecordMetadata sent = send(db.name(), huge);
    Command next = healthCheck();

    assertThat(results.awaitTerminal(next.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(onlyResultOf(sent).data().error().code()).isEqualTo("COMMAND_TOO_LARGE");
    ConsumerRecord<byte[], byte[]> pointer = deadLettersOf(sent).get(0);
    assertThat(deadLettersOf(sent)).hasSize(1);
    assertThat(pointer.value()).isNull();
    String uri = header(pointer, "pgfleet.dlq.stored.uri");
    assertThat(uri).startsWith("s3://" + BUCKET + "/");
    try (S3Client s3 = Probes.s3(stack.s3())) {
      byte[] stored =
          s3.getObjectAsBytes(
                  b -> b.bucket(BUCKET).key(uri.substring(("s3://" + BUCKET + "/").length())))
              .asByteArray();
      assertThat(header(pointer, "pgfleet.dlq.stored.bytes")).isEqualTo("" + stored.length);
      assertThat(header(pointer, "pgfleet.dlq.stored.sha256")).isEqualTo(sha256(stored));
      var archive = new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored);
      assertThat(Base64.getDecoder().decode(archive.get("value").asText())).isEqualTo(huge);
      assertThat(archive.get("offset").asLong()).isEqualTo(sent.offset());
    }
    FaultSummary.record("record at the broker's size limit", 1, 2, 1, 0, 0);
  }

  @Test
  void an_id_or_source_with_a_trailing_newline_is_rejected() {
    RecordMetadata id = send(db.name(), utf8(health("x\\n")));
    RecordMetadata source = send(db.name(), utf8(health("src-1").replace("urn:t", "urn:x\\n")));

    assertThat(awaitOnlyResultOf(id).data().error().field()).isEqualTo("/id");
    assertThat(awaitOnlyResultOf(source).data().error().field()).isEqualTo("/source");
    FaultSummary.record("id or source ending in a newline", 2, 2, 0, 0, 0);
  }

  @Test
  void an_unknown_property_is_reported_escaped_and_cut_everywhere() {
    String name = "\\u001b[2J\\n" + "z".repeat(20_000);
    RecordMetadata sent =
        send(
            db.name(),
            utf8(health("prop-1").replace("\"data\":{}", "\"data\":{\"" + name + "\":1}")));

    String message = awaitOnlyResultOf(sent).data().error().message();
    String reason = header(awaitDeadLetterOf(sent), Headers.DLQ_REASON_MESSAGE);
    for (String text : List.of(message, reason)) {
      assertThat(text).doesNotContain("\n", "\u001b").hasSizeLessThan(1_100);
    }
    FaultSummary.record("unknown property, 20,000 characters", 1, 1, 0, 0, 0);
  }

  @Test
  void dlq_headers_are_the_workers_and_keys_are_copied_byte_for_byte() {
    byte[] key = {(byte) 0xff, (byte) 0xfe, 0x00, 'k'};
    ProducerRecord<byte[], byte[]> forged =
        new ProducerRecord<>(topics.commands(db.name()), key, utf8("not json"));
    forged.headers().add(Headers.DLQ_REASON_CODE, utf8("FORGED"));
    forged.headers().add("trace-id", utf8("abc"));
    RecordMetadata sent = send(forged);

    ConsumerRecord<byte[], byte[]> copy = awaitDeadLetterOf(sent);
    assertThat(copy.key()).isEqualTo(key);
    assertThat(values(copy, Headers.DLQ_REASON_CODE)).containsExactly("MALFORMED_COMMAND");
    assertThat(values(copy, "trace-id")).containsExactly("abc");
    FaultSummary.record("forged DLQ headers, non-UTF-8 key", 1, 1, 0, 0, 0);
  }

  @Test
  void handling_that_keeps_failing_is_dead_lettered_and_a_stall_shows_until_it_clears() {
    stack
        .postgres()
        .execute(
            LEDGER,
            """
            CREATE FUNCTION pgfleet.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.command_id LIKE 'poison-%' THEN RAISE EXCEPTION 'refused by a test'; END IF;
              IF NEW.command_id LIKE 'stall-%' THEN
                RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure';
              END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON pgfleet.runs
              FOR EACH ROW EXECUTE FUNCTION pgfleet.refuse();
            """);
    try {
      Command poison = healthCheck("poison-1");
      ResultEvent dead = results.awaitTerminal(poison.id());
      assertThat(dead.outcome()).isEqualTo(Outcome.REJECTED);
      assertThat(dead.data().error().code()).isEqualTo("HANDLING_FAILED");
      assertThat(results.awaitTerminal(healthCheck().id()).outcome()).isEqualTo(Outcome.SUCCEEDED);

      Command stalled = healthCheck("stall-1");
      int port = worker.metricsPort();
      String topic = topics.commands(db.name());
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () ->
                  Scrape.get(port, "/metrics")
                      .require("pgfleet_intake_stalled_seconds", "topic", topic),
              seconds -> seconds > 0);
      Awaitility.await()
          .atMost(WAIT)
          .until(
              () -> Scrape.get(port, "/health/ready"),
              s -> s.status() == 503 && s.body().contains("stalled: " + topic));
      stack.postgres().execute(LEDGER, "DROP TRIGGER refuse ON pgfleet.runs");
      assertThat(results.awaitTerminal(stalled.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
      Awaitility.await()
          .atMost(WAIT)
          .until(() -> Scrape.get(port, "/health/ready"), s -> s.status() == 200);
    } finally {
      stack.postgres().execute(LEDGER, "DROP TRIGGER IF EXISTS refuse ON pgfleet.runs");
    }
    FaultSummary.record("poison record, then a stall", 2, 3, 2, 0, 0);
  }

  private static ResultEvent onlyResultOf(RecordMetadata sent) {
    List<ResultEvent> found =
        results.events().stream()
            .filter(e -> e.data().origin() != null && e.data().origin().offset() == sent.offset())
            .filter(e -> e.data().origin().topic().equals(topics.commands(db.name())))
            .toList();
    assertThat(found).as("results of the record at offset " + sent.offset()).hasSize(1);
    return found.get(0);
  }

  private static ResultEvent awaitOnlyResultOf(RecordMetadata sent) {
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                results.events().stream()
                    .anyMatch(
                        e ->
                            e.data().origin() != null
                                && e.data().origin().offset() == sent.offset()));
    assertThat(results.awaitTerminal(healthCheck().id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    return onlyResultOf(sent);
  }

  private static List<ConsumerRecord<byte[], byte[]>> deadLettersOf(RecordMetadata sent) {
    return dlq.records().stream()
        .filter(r -> String.valueOf(sent.offset()).equals(header(r, Headers.DLQ_ORIGIN_OFFSET)))
        .filter(r -> topics.commands(db.name()).equals(header(r, Headers.DLQ_ORIGIN_TOPIC)))
        .toList();
  }

  private static ConsumerRecord<byte[], byte[]> awaitDeadLetterOf(RecordMetadata sent) {
    return Awaitility.await()
        .atMost(WAIT)
        .until(() -> deadLettersOf(sent), l -> !l.isEmpty())
        .get(0);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static List<String> values(ConsumerRecord<byte[], byte[]> r, String name) {
    return StreamSupport.stream(r.headers().headers(name).spliterator(), false)
        .map(h -> new String(h.value(), StandardCharsets.UTF_8))
        .toList();
  }

  private static Command healthCheck() {
    return healthCheck(null);
  }

  private static Command healthCheck(String id) {
    var builder = Commands.of(Operation.HEALTH_CHECK, db.name(), HealthCheckParams.defaults());
    Command command = id == null ? builder.build() : builder.id(id).build();
    publisher.publish(command).join();
    return command;
  }

  private static String health(String id) {
    return envelope(id, "health-check", "{}");
  }

  private static String terminate(String id, String applicationName) {
    return envelope(
        id,
        "terminate-backends",
        "{\"action\":\"cancel\",\"dryRun\":true,\"applicationName\":\"" + applicationName + "\"}");
  }

  private static String envelope(String id, String operation, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\""
        + id
        + "\",\"source\":\"urn:t\",\"type\":\"io.pgfleet.command."
        + operation
        + ".v1\",\"subject\":\""
        + db.name()
        + "\",\"time\":\"2026-11-21T02:00:00Z\",\"data\":"
        + data
        + "}";
  }

  private static RecordMetadata send(String key, byte[] value) {
    return send(new ProducerRecord<>(topics.commands(db.name()), utf8(key), value));
  }

  private static RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
    try {
      return producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
