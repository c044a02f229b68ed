package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgfleet.commands.result.ErrorCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommandRejectionTest {
  private final CommandCodec codec = new CommandCodec();

  private static final String VALID =
      """
      {"specversion":"1.0","id":"c-1","source":"urn:test","type":"io.pgfleet.command.backup.v1",
       "subject":"order_db","time":"2026-11-21T02:00:00Z","data":{}}""";

  @Test
  void a_valid_command_decodes() throws Exception {
    assertThat(codec.decode(bytes(VALID)).target()).isEqualTo("order_db");
  }

  @Test
  void garbage_bytes_are_not_utf8() {
    CommandRejection r = reject(new byte[] {(byte) 0xff, 0x00, 0x13, 0x37});
    assertThat(r.error().code()).isEqualTo(ErrorCode.INVALID_ENCODING.name());
    assertThat(r.error().message()).startsWith("the record is not UTF-8");
    assertThat(r.commandId()).isEmpty();
  }

  @Test
  void a_json_array_is_not_a_command() {
    assertThat(reject(bytes("[1,2]")).error().message()).contains("not a JSON object");
  }

  @Test
  void a_missing_field_is_named() {
    CommandRejection r = reject(bytes(VALID.replace("\"subject\":\"order_db\",", "")));
    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().message()).contains("subject");
    assertThat(r.commandId()).contains("c-1");
  }

  @Test
  void a_field_of_the_wrong_type_is_named_by_its_pointer() {
    CommandRejection r =
        reject(bytes(VALID.replace("\"data\":{}", "\"data\":{\"compressionLevel\":\"high\"}")));
    assertThat(r.error().field()).isEqualTo("/data/compressionLevel");
    assertThat(r.error().message()).startsWith("/data/compressionLevel: ").contains("integer");
  }

  @Test
  void an_unknown_data_field_is_refused() {
    CommandRejection r = reject(bytes(VALID.replace("\"data\":{}", "\"data\":{\"sql\":\"x\"}")));
    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().message()).contains("sql");
  }

  @Test
  void an_unknown_operation_names_the_known_ones() {
    CommandRejection r = reject(bytes(VALID.replace("command.backup.v1", "command.defrag.v1")));
    assertThat(r.error().code()).isEqualTo("UNKNOWN_OPERATION");
    assertThat(r.error().message()).contains("'defrag'").contains("backup");
    assertThat(r.operation()).contains("defrag");
  }

  @Test
  void a_target_name_with_forbidden_characters_is_invalid() {
    for (String bad : new String[] {"../etc", "order db", "order;drop", "a.b", "x\\u202e"}) {
      CommandRejection r = reject(bytes(VALID.replace("order_db", bad)));
      assertThat(r.error().field()).as(bad).isEqualTo("/subject");
    }
  }

  @Test
  void a_hostile_id_is_never_echoed() {
    CommandRejection r = reject(bytes(VALID.replace("\"c-1\"", "\"<script>\"")));
    assertThat(r.error().field()).isEqualTo("/id");
    assertThat(r.commandId()).isEmpty();
  }

  @Test
  void duplicate_keys_are_refused() {
    String twice = VALID.replace("\"subject\":\"order_db\"", "\"subject\":\"a\",\"subject\":\"b\"");
    assertThat(reject(bytes(twice)).error().message()).contains("Duplicate field 'subject'");
  }

  @Test
  void an_oversized_command_is_refused_before_parsing() {
    CommandRejection r = reject(new byte[CommandCodec.MAX_BYTES + 1]);
    assertThat(r.error().code()).isEqualTo("COMMAND_TOO_LARGE");
  }

  @Test
  void a_bad_time_is_named() {
    CommandRejection r = reject(bytes(VALID.replace("2026-11-21T02:00:00Z", "yesterday")));
    assertThat(r.error().field()).isEqualTo("/time");
  }

  private CommandRejection reject(byte[] bytes) {
    return catchThrowableOfType(CommandRejection.class, () -> codec.decode(bytes));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
