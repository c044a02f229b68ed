package io.pgfleet.worker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.PruneBackupsParams;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import io.pgfleet.commands.wire.Headers;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.TrustedSigner;
import io.pgfleet.worker.retention.RetentionPolicy;
import java.net.URI;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CloudEvents contract against a real worker: commands sent by the CloudEvents Java SDK's Kafka
 * binding in binary mode (its default) and in structured mode, signed or not, and a record whose
 * headers break the text rules. The real results are held to the published examples' keys.
 */
class WireContractTest {
  private static final KeyPair OPS = Ed25519Keys.generate();
  private static Fleet fleet;
  private static ResultStream results;
  private static ResultStream deadLetters;
  private static String target;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db");
    target = fleet.target("order_db");
    results = fleet.results();
    deadLetters = fleet.deadLetters();
    SecuritySettings security =
        new SecuritySettings(
            Map.of("ops", new TrustedSigner("ops", OPS.getPublic(), Set.of(), List.of("*"))),
            SignaturePolicy.DESTRUCTIVE,
            Duration.ofHours(1));
    fleet.startWorker(
        fleet.workerConfig(
            "worker-wire",
            t -> t.toBuilder().retention(new RetentionPolicy(3, 7, 0, 0, 0)).build(),
            security));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void a_backup_sent_in_binary_mode_by_the_sdk_kafka_binding_without_time_runs() {
    String id = "binary-" + UUID.randomUUID();
    CloudEvent event =
        sdkEvent(id, "backup")
            .withData("application/json", "{\"compressionLevel\":3}".getBytes(UTF_8))
            .build();

    send(event, Encoding.BINARY);

    ResultEvent end = results.awaitTerminal(id);
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    ExampleKeys.assertSameKeys("succeeded.json", end, results);
    ExampleKeys.assertSameKeys(
        "started.json", results.awaitEvent(ResultStream.outcome(id, Outcome.STARTED)), results);
  }

  @Test
  void a_health_check_in_structured_mode_with_a_charset_parameter_still_runs() {
    String id = "structured-" + UUID.randomUUID();
    CloudEvent event =
        sdkEvent(id, "health-check")
            .withTime(OffsetDateTime.now())
            .withData("application/json; charset=utf-8", "{}".getBytes(UTF_8))
            .build();

    send(event, Encoding.STRUCTURED);

    ResultEvent end = results.awaitTerminal(id);
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    ExampleKeys.assertSameKeys("succeeded-health-check.json", end, results);
  }

  @Test
  void a_signed_destructive_command_in_binary_mode_is_authorized() {
    Command prune =
        Commands.of(Operation.PRUNE_BACKUPS, target, new PruneBackupsParams(false, target))
            .expiresAt(Instant.now().plus(Duration.ofMinutes(30)))
            .build();
    byte[] signed = new CommandSigner("ops", OPS.getPrivate()).encode(prune, fleet.topics);

    send(new JsonFormat().deserialize(signed), Encoding.BINARY);

    ResultEvent end = results.awaitTerminal(prune.id());
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    ExampleKeys.assertSameKeys("succeeded-prune-backups.json", end, results);
  }

  @Test
  void a_binary_record_with_a_header_that_is_not_utf8_is_rejected_once_and_dead_lettered() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_specversion", "1.0".getBytes(UTF_8));
    headers.add("ce_id", "broken-header-1".getBytes(UTF_8));
    headers.add("ce_source", new byte[] {'u', 'r', 'n', ':', (byte) 0xFF});
    headers.add("ce_type", "io.pgfleet.command.backup.v1".getBytes(UTF_8));
    headers.add("ce_subject", target.getBytes(UTF_8));
    headers.add(Headers.CONTENT_TYPE, "application/json".getBytes(UTF_8));

    RecordMetadata sent = sendRaw(headers, "{}".getBytes(UTF_8));

    List<ResultEvent> rejected =
        results.awaitCount(
            e -> e.outcome() == Outcome.REJECTED && isOrigin(e, sent), 1, Duration.ofSeconds(30));
    assertThat(rejected.get(0).data().error().code()).isEqualTo("INVALID_ENCODING");
    assertThat(rejected.get(0).data().error().message())
        .startsWith("header 'ce_source' is not UTF-8");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> dlqCopies(sent) == 1);
    // a later command on the same topic runs: the broken record did not stall the partition
    Command next = Commands.backup(target).build();
    fleet.publisher().publish(next).join();
    assertThat(results.awaitTerminal(next.id()).outcome()).isNotEqualTo(Outcome.REJECTED);
    assertThat(results.events().stream().filter(e -> isOrigin(e, sent))).hasSize(1);
    assertThat(dlqCopies(sent)).isEqualTo(1);
  }

  private static long dlqCopies(RecordMetadata sent) {
    return deadLetters.records().stream()
        .filter(
            r ->
                new String(r.headers().lastHeader(Headers.DLQ_ORIGIN_OFFSET).value(), UTF_8)
                        .equals(Long.toString(sent.offset()))
                    && new String(r.headers().lastHeader(Headers.DLQ_ORIGIN_TOPIC).value(), UTF_8)
                        .equals(sent.topic()))
        .count();
  }

  private static boolean isOrigin(ResultEvent e, RecordMetadata sent) {
    return e.data().origin() != null
        && e.data().origin().topic().equals(sent.topic())
        && e.data().origin().offset() == sent.offset();
  }

  private static CloudEventBuilder sdkEvent(String id, String operation) {
    return CloudEventBuilder.v1()
        .withId(id)
        .withSource(URI.create("urn:order-service"))
        .withType("io.pgfleet.command." + operation + ".v1")
        .withSubject(target);
  }

  /** Publishes as a service using the CloudEvents Java SDK's Kafka binding would. */
  private static void send(CloudEvent event, Encoding encoding) {
    Properties props = producerProperties(CloudEventSerializer.class);
    props.put(CloudEventSerializer.ENCODING_CONFIG, encoding.name());
    props.put(CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
    try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(props)) {
      producer.send(new ProducerRecord<>(fleet.topics.commands(target), target, event)).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot send " + event.getId(), e);
    }
  }

  private static RecordMetadata sendRaw(RecordHeaders headers, byte[] value) {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(producerProperties(ByteArraySerializer.class))) {
      return producer
          .send(new ProducerRecord<>(fleet.topics.commands(target), null, target, value, headers))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot send", e);
    }
  }

  private static Properties producerProperties(Class<?> valueSerializer) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fleet.stack.kafka().bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, valueSerializer.getName());
    return props;
  }
}
