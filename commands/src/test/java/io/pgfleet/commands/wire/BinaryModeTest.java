package io.pgfleet.commands.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import java.net.URI;
import java.security.KeyPair;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The CloudEvents Kafka binding both ways: binary mode (ce_ headers) and structured mode. */
class BinaryModeTest {
  private static final Instant RECEIVED = Instant.parse("2026-11-21T02:00:05Z");
  private final CommandCodec codec = new CommandCodec();
  private final JsonFormat json = new JsonFormat();

  @Test
  void a_command_the_sdk_kafka_binding_sends_in_binary_mode_decodes_as_in_structured_mode()
      throws Exception {
    Command command = Commands.backup("order_db").id("svc-42").build();
    CloudEvent event = json.deserialize(codec.encode(command));

    CommandCodec.Received binary = codec.decodeReceived(binary(event));

    assertThat(binary.command()).isEqualTo(command);
    assertThat(binary.json()).contains("\"specversion\":\"1.0\"").contains("\"data\":{");
  }

  @Test
  void a_signed_command_canonicalizes_to_the_same_bytes_in_binary_mode() throws Exception {
    KeyPair keys = Ed25519Keys.generate();
    // 120 ms: the SDK writes time as ISO_OFFSET_DATE_TIME (".12Z"), Instant.toString gives ".120Z".
    Instant at = Instant.parse("2026-11-21T02:00:00.120Z");
    Command command =
        Commands.backup("order_db")
            .id("r-1")
            .clock(java.time.Clock.fixed(at, java.time.ZoneOffset.UTC))
            .expiresAt(at.plusSeconds(1800))
            .build();
    Topics topics = new Topics("pgfleet");
    byte[] structured = new CommandSigner("ops", keys.getPrivate()).encode(command, topics);

    CommandCodec.Signed viaHeaders =
        codec.decodeReceived(binary(json.deserialize(structured))).signature().orElseThrow();
    CommandCodec.Signed viaBody = codec.decodeReceived(structured).signature().orElseThrow();

    assertThat(viaHeaders.content()).isEqualTo(viaBody.content());
    byte[] covered = Canonical.forTopic(topics.commands("order_db"), viaHeaders.content());
    assertThat(CommandSigner.verify(keys.getPublic(), covered, viaHeaders.signature())).isTrue();
  }

  @Test
  void a_command_without_time_takes_the_time_it_was_received() throws Exception {
    CloudEvent event = CloudEventBuilder.v1(backup("application/json")).withTime(null).build();

    assertThat(codec.decodeReceived(binary(event)).command().time()).isEqualTo(RECEIVED);
    CommandRecord structured =
        new CommandRecord(json.serialize(event), new RecordHeaders(), RECEIVED);
    assertThat(codec.decodeReceived(structured).command().time()).isEqualTo(RECEIVED);
  }

  @Test
  void media_type_parameters_are_accepted_and_a_charset_other_than_utf8_is_refused()
      throws Exception {
    assertThat(codec.decodeReceived(binary(backup("application/json; charset=utf-8"))).command())
        .isNotNull();
    assertThat(codec.decodeReceived(binary(backup("Application/JSON;charset=\"UTF-8\""))).command())
        .isNotNull();
    byte[] structured = json.serialize(backup("application/json; charset=utf-8"));
    assertThat(codec.decodeReceived(structured).command()).isNotNull();

    assertThat(rejection(binary(backup("application/json; charset=iso-8859-1"))))
        .startsWith("INVALID_ENCODING datacontenttype says charset=iso-8859-1; commands are UTF-8");
    assertThat(rejection(structured(json.serialize(backup("text/plain")))))
        .startsWith("INVALID_COMMAND datacontenttype 'text/plain': a command's data is JSON");
  }

  @Test
  void the_content_type_header_decides_the_mode() throws Exception {
    CommandRecord latin1 =
        withHeaders(
            json.serialize(backup("application/json")),
            Map.of("content-type", "application/cloudevents+json; charset=latin1"));
    assertThat(rejection(latin1)).startsWith("INVALID_ENCODING the content-type header says");

    CommandRecord batch =
        withHeaders(
            new byte[] {'[', ']'}, Map.of("content-type", "application/cloudevents-batch+json"));
    assertThat(rejection(batch)).contains("send one command per record");

    CommandRecord jsonBodyWithoutAttributes =
        withHeaders(
            json.serialize(backup("application/json")), Map.of("content-type", "application/json"));
    assertThat(rejection(jsonBodyWithoutAttributes))
        .contains("no ce_specversion header")
        .contains("content-type application/cloudevents+json");
  }

  @Test
  void a_header_that_breaks_the_text_rules_is_a_rejection_naming_it() throws Exception {
    CommandRecord notUtf8 = binary(backup("application/json"));
    notUtf8.headers().remove("ce_source");
    notUtf8.headers().add("ce_source", new byte[] {'u', 'r', 'n', ':', (byte) 0xC3, (byte) 0x28});
    assertThat(rejection(notUtf8)).startsWith("INVALID_ENCODING header 'ce_source' is not UTF-8");

    CommandRecord control = binary(backup("application/json"));
    control.headers().remove("ce_id");
    control.headers().add("ce_id", "a\u0007b".getBytes(UTF_8));
    assertThat(rejection(control))
        .startsWith("INVALID_COMMAND header 'ce_id' holds the control character \\u0007");

    CommandRecord twice = binary(backup("application/json"));
    twice.headers().add("ce_subject", "payment_db".getBytes(UTF_8));
    assertThat(rejection(twice)).contains("'ce_subject' appears more than once");

    CommandRecord nul = binary(backup("application/json"));
    nul.headers().add("ce_expiresat", "2026\0".getBytes(UTF_8));
    assertThat(rejection(nul)).startsWith("INVALID_ENCODING header 'ce_expiresat' holds a NUL");
  }

  private static CloudEvent backup(String dataContentType) {
    return CloudEventBuilder.v1()
        .withId("media-1")
        .withSource(URI.create("urn:order-service"))
        .withType("io.pgfleet.command.backup.v1")
        .withSubject("order_db")
        .withTime(OffsetDateTime.parse("2026-11-21T02:00:00Z"))
        .withData(dataContentType, "{\"compressionLevel\":9}".getBytes(UTF_8))
        .build();
  }

  /** What the SDK's Kafka serializer writes in its default (binary) mode. */
  private static CommandRecord binary(CloudEvent event) {
    RecordHeaders headers = new RecordHeaders();
    try (CloudEventSerializer serializer = new CloudEventSerializer()) {
      serializer.configure(Map.of(), false);
      byte[] value = serializer.serialize("pgfleet.commands.order_db", headers, event);
      return new CommandRecord(value, headers, RECEIVED);
    }
  }

  private static CommandRecord structured(byte[] value) {
    return new CommandRecord(value, new RecordHeaders(), RECEIVED);
  }

  private static CommandRecord withHeaders(byte[] value, Map<String, String> headers) {
    RecordHeaders kafka = new RecordHeaders();
    headers.forEach((k, v) -> kafka.add(k, v.getBytes(UTF_8)));
    return new CommandRecord(value, kafka, RECEIVED);
  }

  private String rejection(CommandRecord record) {
    try {
      codec.decodeReceived(record);
    } catch (CommandRejection e) {
      return e.error().code() + " " + e.error().message();
    }
    throw new AssertionError("accepted");
  }
}
