package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Headers;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input of any kind gets run.rejected with a precise reason and a DLQ copy; the worker goes on.
 */
class RejectionTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static ResultStream dlq;
  private static CommandPublisher publisher;
  private static String target;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("warehouse_db");
    target = fleet.target("warehouse_db");
    results = fleet.results();
    dlq = fleet.deadLetters();
    publisher = fleet.publisher();
    fleet.startWorker("worker-r");
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void garbage_bytes_are_rejected_as_not_utf8_and_kept_in_the_dlq() {
    byte[] garbage = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x00, 0x7f};
    RecordMetadata sent = fleet.sendRaw(fleet.topics.commands(target), garbage);

    ResultEvent rejected = awaitRejection(sent);
    assertThat(rejected.data().error().code()).isEqualTo("INVALID_ENCODING");
    assertThat(rejected.data().error().message()).startsWith("the record is not UTF-8");
    assertThat(rejected.data().commandId()).isNull();
    assertThat(rejected.subject()).isEqualTo(target);

    ConsumerRecord<byte[], byte[]> copy = awaitDeadLetter(sent);
    assertThat(copy.value()).isEqualTo(garbage);
    assertThat(header(copy, Headers.DLQ_REASON_CODE)).isEqualTo("INVALID_ENCODING");
    assertThat(header(copy, Headers.DLQ_ORIGIN_TOPIC)).isEqualTo(fleet.topics.commands(target));
    assertThat(header(copy, Headers.DLQ_ORIGIN_OFFSET)).isEqualTo(String.valueOf(sent.offset()));
  }

  @Test
  void json_of_the_wrong_shape_names_what_is_wrong() {
    RecordMetadata sent =
        sendJson(
            "{\"specversion\":\"1.0\",\"id\":\"shape-1\",\"source\":\"urn:t\","
                + "\"type\":\"io.pgfleet.command.backup.v1\",\"subject\":\""
                + target
                + "\","
                + "\"time\":\"2026-11-21T02:00:00Z\",\"data\":{\"compressionLevel\":42}}");

    ResultEvent rejected = awaitRejection(sent);
    assertThat(rejected.data().error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(rejected.data().error().field()).isEqualTo("/data/compressionLevel");
    assertThat(rejected.data().error().message()).contains("/data/compressionLevel").contains("9");
    assertThat(rejected.data().commandId()).isEqualTo("shape-1");
    awaitDeadLetter(sent);
  }

  @Test
  void an_unknown_operation_is_rejected() {
    RecordMetadata sent = sendJson(envelope("op-1", "io.pgfleet.command.defragment.v1", target));

    ResultEvent rejected = awaitRejection(sent);
    assertThat(rejected.data().error().code()).isEqualTo("UNKNOWN_OPERATION");
    assertThat(rejected.data().error().message()).contains("'defragment'");
    assertThat(rejected.data().operation()).isEqualTo("defragment");
    awaitDeadLetter(sent);
  }

  @Test
  void a_command_for_a_target_the_worker_does_not_serve_is_left_for_a_worker_that_does() {
    String ghost = fleet.id + "_ghost_db";
    Command elsewhere = Commands.backup(ghost).build();
    Command mine =
        Commands.of(Operation.HEALTH_CHECK, target, HealthCheckParams.defaults()).build();
    publisher.publish(elsewhere).join();
    publisher.publish(mine).join();

    // A worker reads only its targets' topics: it neither refuses nor skips another's commands
    // (and never lists its own targets to a stranger).
    assertThat(results.awaitTerminal(mine.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(results.eventsFor(elsewhere.id())).isEmpty();
  }

  @Test
  void a_target_name_with_forbidden_characters_is_rejected() {
    RecordMetadata sent =
        sendJson(
            envelope("bad-name-1", "io.pgfleet.command.backup.v1", target + "; DROP DATABASE x"));

    ResultEvent rejected = awaitRejection(sent);
    assertThat(rejected.data().error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(rejected.data().error().field()).isEqualTo("/subject");
    assertThat(rejected.subject()).isEqualTo(target);
  }

  @Test
  void a_command_on_another_targets_topic_is_rejected() {
    Command command = Commands.backup("payment_db").build();
    RecordMetadata sent =
        fleet.sendRaw(
            fleet.topics.commands(target),
            new io.pgfleet.commands.wire.CommandCodec().encode(command));

    ResultEvent rejected = awaitRejection(sent);
    assertThat(rejected.data().error().code()).isEqualTo("TARGET_MISMATCH");
  }

  @Test
  void the_worker_keeps_serving_after_bad_input() {
    fleet.sendRaw(
        fleet.topics.commands(target), "not json at all".getBytes(StandardCharsets.UTF_8));
    Command command = Commands.backup(target).build();
    publisher.publish(command).join();

    assertThat(results.awaitTerminal(command.id()).outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  private static String envelope(String id, String type, String subject) {
    return "{\"specversion\":\"1.0\",\"id\":\""
        + id
        + "\",\"source\":\"urn:t\",\"type\":\""
        + type
        + "\",\"subject\":\""
        + subject.replace("\"", "\\\"")
        + "\",\"time\":\"2026-11-21T02:00:00Z\",\"data\":{}}";
  }

  private static RecordMetadata sendJson(String json) {
    return fleet.sendRaw(fleet.topics.commands(target), json.getBytes(StandardCharsets.UTF_8));
  }

  private static ResultEvent awaitRejection(RecordMetadata sent) {
    ResultEvent event =
        results.awaitEvent(
            e ->
                e.data().origin() != null
                    && e.data().origin().topic().equals(sent.topic())
                    && e.data().origin().offset() == sent.offset());
    assertThat(event.outcome()).isEqualTo(Outcome.REJECTED);
    return event;
  }

  private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(RecordMetadata sent) {
    return org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                dlq.records().stream()
                    .filter(
                        r ->
                            String.valueOf(sent.offset())
                                    .equals(header(r, Headers.DLQ_ORIGIN_OFFSET))
                                && sent.topic().equals(header(r, Headers.DLQ_ORIGIN_TOPIC)))
                    .findFirst(),
            java.util.Optional::isPresent)
        .orElseThrow();
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
