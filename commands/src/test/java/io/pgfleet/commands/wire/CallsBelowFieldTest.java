package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgfleet.commands.ResetStatementStatsParams;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * reset-statement-stats' {@code callsBelow}: anything but an integer 1..2^31-1 ends in
 * INVALID_COMMAND.
 */
class CallsBelowFieldTest {
  private final CommandCodec codec = new CommandCodec();

  @ParameterizedTest(name = "{0} is rejected")
  @CsvSource(
      delimiter = '|',
      value = {
        "0",
        "-1",
        "2147483648",
        "10.5",
        "\"10\"",
        "null",
        "true",
        "[10]",
        "{}",
        "99999999999999999999999999999999"
      })
  void a_bad_calls_below_is_rejected_at_its_field(String value) {
    CommandRejection r =
        catchThrowableOfType(CommandRejection.class, () -> codec.decode(reset(value)));

    assertThat(r).as("rejection of callsBelow " + value).isNotNull();
    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().field()).isEqualTo("/data/callsBelow");
  }

  @ParameterizedTest(name = "{0} is accepted as {1}")
  @CsvSource({"1, 1", "10, 10", "2147483647, 2147483647", "1e3, 1000", "10.0, 10"})
  void a_positive_32_bit_calls_below_decodes_as_its_integer(String json, int value)
      throws Exception {
    ResetStatementStatsParams params =
        codec.decode(reset(json)).params(ResetStatementStatsParams.class);

    assertThat(params.callsBelow()).isEqualTo(value); // JSON Schema's integer: no fraction
  }

  private static byte[] reset(String callsBelow) {
    return ("{\"specversion\":\"1.0\",\"id\":\"c-1\",\"source\":\"urn:test\","
            + "\"type\":\"io.pgfleet.command.reset-statement-stats.v1\",\"subject\":\"order_db\","
            + "\"time\":\"2026-11-21T02:00:00Z\",\"data\":{\"confirm\":\"order_db\",\"callsBelow\":"
            + callsBelow
            + "}}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
