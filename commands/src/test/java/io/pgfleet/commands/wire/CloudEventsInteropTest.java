package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunReport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** Any CloudEvents SDK must be able to speak to the fleet: checked with the Java SDK. */
class CloudEventsInteropTest {
  private final EventFormat format = new JsonFormat();

  @Test
  void a_command_built_with_the_cloudevents_sdk_is_accepted() throws Exception {
    CloudEvent event =
        CloudEventBuilder.v1()
            .withId("svc-42")
            .withSource(URI.create("urn:order-service"))
            .withType("io.pgfleet.command.backup.v1")
            .withSubject("order_db")
            .withTime(OffsetDateTime.parse("2026-11-21T02:00:00Z"))
            .withDataContentType("application/json")
            .withExtension("expiresat", "2026-11-21T03:00:00Z")
            .withData("{\"compressionLevel\":9}".getBytes(StandardCharsets.UTF_8))
            .build();

    Command command = new CommandCodec().decode(format.serialize(event));

    assertThat(command.id()).isEqualTo("svc-42");
    assertThat(command.expiresAt()).isEqualTo(Instant.parse("2026-11-21T03:00:00Z"));
  }

  @Test
  void our_commands_and_results_parse_with_the_cloudevents_sdk() {
    Command command = Commands.backup("payment_db").id("c-7").build();
    CloudEvent parsed = format.deserialize(new CommandCodec().encode(command));
    assertThat(parsed.getType()).isEqualTo("io.pgfleet.command.backup.v1");
    assertThat(parsed.getSubject()).isEqualTo("payment_db");

    ResultEvent result =
        ResultEvent.of(
            Outcome.STARTED,
            "w1",
            "payment_db",
            Instant.now(),
            RunReport.builder("backup", "w1")
                .commandId("c-7")
                .attempt(1)
                .startedAt(Instant.now())
                .build());
    CloudEvent parsedResult = format.deserialize(new ResultCodec().encode(result));
    assertThat(parsedResult.getType()).isEqualTo("io.pgfleet.run.started.v1");
    assertThat(new String(parsedResult.getData().toBytes(), StandardCharsets.UTF_8))
        .contains("\"commandId\":\"c-7\"");
  }
}
