package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A command's text is strict UTF-8 with printable strings, or it is rejected with a reason. */
class CommandTextTest {
  private final CommandCodec codec = new CommandCodec();

  private static final String HEALTH =
      "{\"specversion\":\"1.0\",\"id\":\"c-1\",\"source\":\"urn:test\","
          + "\"type\":\"io.pgfleet.command.health-check.v1\",\"subject\":\"order_db\","
          + "\"time\":\"2026-11-21T02:00:00Z\",\"data\":{}}";

  private static final String TERMINATE =
      "{\"specversion\":\"1.0\",\"id\":\"c-2\",\"source\":\"urn:test\","
          + "\"type\":\"io.pgfleet.command.terminate-backends.v1\",\"subject\":\"order_db\","
          + "\"time\":\"2026-11-21T02:00:00Z\",\"data\":{\"action\":\"cancel\",\"dryRun\":true,"
          + "\"applicationName\":\"APP\"}}";

  @Test
  void a_byte_order_mark_before_a_valid_command_is_an_encoding_error() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    out.writeBytes(HEALTH.getBytes(StandardCharsets.UTF_8));
    CommandRejection r = reject(out.toByteArray());
    assertThat(r.error().code()).isEqualTo("INVALID_ENCODING");
    assertThat(r.error().message()).contains("byte order mark");
  }

  @Test
  void utf16_with_or_without_a_byte_order_mark_is_an_encoding_error() {
    assertThat(reject(HEALTH.getBytes(StandardCharsets.UTF_16)).error().code())
        .isEqualTo("INVALID_ENCODING");
    assertThat(reject(HEALTH.getBytes(StandardCharsets.UTF_16LE)).error().code())
        .isEqualTo("INVALID_ENCODING");
  }

  @Test
  void an_escaped_nul_or_lone_surrogate_in_a_string_field_is_refused_by_its_pointer() {
    for (String bad : new String[] {"\\u0000", "\\ud800", "\\udc00x", "\\u001b[31m"}) {
      CommandRejection r = reject(utf8(TERMINATE.replace("APP", "a" + bad)));
      assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
      assertThat(r.error().field()).isEqualTo("/data/applicationName");
      assertThat(r.commandId()).contains("c-2");
    }
  }

  @Test
  void a_surrogate_pair_is_fine() throws Exception {
    assertThat(codec.decode(utf8(TERMINATE.replace("APP", "\\ud83d\\ude00"))).id())
        .isEqualTo("c-2");
  }

  @Test
  void an_id_or_source_with_a_trailing_newline_is_refused() {
    assertThat(reject(utf8(HEALTH.replace("\"c-1\"", "\"x\\n\""))).error().field())
        .isEqualTo("/id");
    assertThat(reject(utf8(HEALTH.replace("\"urn:test\"", "\"urn:x\\n\""))).error().field())
        .isEqualTo("/source");
  }

  @Test
  void schema_patterns_end_at_the_end_of_the_string() {
    assertThat(EcmaAnchoredPatterns.INSTANCE.getRegularExpression("^[a-z]+$").matches("x\n"))
        .isFalse();
    assertThat(EcmaAnchoredPatterns.INSTANCE.getRegularExpression("^[a-z]+$").matches("x"))
        .isTrue();
    assertThat(EcmaAnchoredPatterns.anchored("^a\\$")).isEqualTo("^a\\$");
  }

  @Test
  void an_unknown_property_name_is_reported_escaped_and_cut() {
    String name = "\\u001b]0;pwned\\u0007\\n" + "x".repeat(20_000);
    CommandRejection r =
        reject(utf8(HEALTH.replace("\"data\":{}", "\"data\":{\"" + name + "\":1}")));
    assertThat(r.error().message()).doesNotContain("\n", "\u001b", "\u0007").hasSizeLessThan(800);
    String plain = "y".repeat(20_000);
    r = reject(utf8(HEALTH.replace("\"data\":{}", "\"data\":{\"" + plain + "\":1}")));
    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().message()).contains("yyy").contains("...").hasSizeLessThan(800);
  }

  private CommandRejection reject(byte[] bytes) {
    return catchThrowableOfType(CommandRejection.class, () -> codec.decode(bytes));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
