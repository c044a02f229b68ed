package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.RecoveryTargetAction;
import io.pgfleet.commands.RestorePitrParams;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** restore-pitr's {@code targetAction}: bad values end in INVALID_COMMAND at their pointer. */
class RestorePitrTargetActionTest {
  private static final String T = "\"targetTime\":\"2026-11-21T14:29:59Z\",";
  private static final String WHERE = "\"directory\":\"before-1430\",\"port\":55432";
  private final CommandCodec codec = new CommandCodec();

  @ParameterizedTest(name = "targetAction {0} is rejected at {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"PAUSE\"              | /data/targetAction",
        "\"Promote\"            | /data/targetAction",
        "\"pause \"             | /data/targetAction",
        "\"stop\"               | /data/targetAction",
        "\"\"                   | /data/targetAction",
        "null                   | /data/targetAction",
        "1                      | /data/targetAction",
        "true                   | /data/targetAction",
        "[\"pause\"]            | /data/targetAction",
        "{\"action\":\"pause\"} | /data/targetAction",
      })
  void a_target_action_that_is_not_promote_pause_or_shutdown_is_rejected_by_its_pointer(
      String value, String field) {
    CommandRejection r = reject("{" + T + WHERE + ",\"targetAction\":" + value + "}");

    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().field()).isEqualTo(field);
    assertThat(r.error().message()).startsWith(field + ": ");
  }

  @ParameterizedTest(name = "{0} without a recovery target is rejected")
  @CsvSource({"pause", "shutdown"})
  void pause_or_shutdown_without_a_recovery_target_is_rejected_saying_why(String action) {
    CommandRejection r = reject("{" + WHERE + ",\"targetAction\":\"" + action + "\"}");

    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().field()).isEqualTo("/data");
    assertThat(r.error().message())
        .contains("targetAction " + action + " needs a recovery target")
        .contains("always promotes");
  }

  @ParameterizedTest(name = "{0} decodes to {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "T W                                                | PROMOTE",
        "T \"targetAction\":\"promote\", W                  | PROMOTE",
        "T \"targetAction\":\"pause\", W                    | PAUSE",
        "T \"targetAction\":\"shutdown\", W                 | SHUTDOWN",
        "\"targetLsn\":\"0/3000060\",\"targetAction\":\"pause\", W | PAUSE",
        "\"targetAction\":\"promote\", W                    | PROMOTE"
      })
  void a_valid_target_action_decodes_with_promote_as_default_and_round_trips(
      String template, RecoveryTargetAction expected) throws Exception {
    String data = "{" + template.replace("T ", T).replace("W", WHERE).replace(", ", ",") + "}";
    Command command = codec.decode(pitr(data));

    assertThat(command.params(RestorePitrParams.class).targetAction()).isEqualTo(expected);
    assertThat(codec.decode(codec.encode(command))).isEqualTo(command);
  }

  @ParameterizedTest(name = "in place: {0} is rejected at {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"inPlace\":true                                      | /data",
        "\"inPlace\":true,\"confirm\":\"order_db\",\"port\":55432  | /data",
        "\"inPlace\":true,\"confirm\":\"order_db\",\"directory\":\"x\" | /data",
        "\"inPlace\":\"yes\",\"directory\":\"x\",\"port\":55432   | /data/inPlace",
        "\"inPlace\":false,\"confirm\":\"order_db\"                | /data",
        "\"inPlace\":true,\"confirm\":7                           | /data/confirm"
      })
  void an_in_place_recovery_needs_confirm_and_neither_directory_nor_port(
      String data, String field) {
    CommandRejection r = reject("{" + data + "}");

    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().field()).isEqualTo(field);
  }

  @org.junit.jupiter.api.Test
  void an_in_place_recovery_decodes_round_trips_and_is_destructive() throws Exception {
    Command command = codec.decode(pitr("{" + T + "\"inPlace\":true,\"confirm\":\"order_db\"}"));

    RestorePitrParams params = command.params(RestorePitrParams.class);
    assertThat(params.replacesDataDirectory()).isTrue();
    assertThat(params.directory()).isNull();
    assertThat(params.port()).isNull();
    assertThat(codec.decode(codec.encode(command))).isEqualTo(command);
    assertThat(
            io.pgfleet.commands.Destructive.is(
                command, io.pgfleet.commands.Destructive.PurgePolicies.unknown()))
        .isTrue();
    Command beside = codec.decode(pitr("{" + T + WHERE + "}"));
    assertThat(
            io.pgfleet.commands.Destructive.is(
                beside, io.pgfleet.commands.Destructive.PurgePolicies.unknown()))
        .isFalse();
  }

  private CommandRejection reject(String data) {
    CommandRejection r =
        catchThrowableOfType(CommandRejection.class, () -> codec.decode(pitr(data)));
    assertThat(r).as("rejection of " + data).isNotNull();
    return r;
  }

  private static byte[] pitr(String data) {
    return ("{\"specversion\":\"1.0\",\"id\":\"c-1\",\"source\":\"urn:test\","
            + "\"type\":\"io.pgfleet.command.restore-pitr.v1\",\"subject\":\"order_db\","
            + "\"time\":\"2026-11-21T02:00:00Z\",\"data\":"
            + data
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
