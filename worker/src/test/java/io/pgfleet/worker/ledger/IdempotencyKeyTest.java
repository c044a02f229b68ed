package io.pgfleet.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.wire.CommandCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {
  private static final String HEAD =
      "{\"specversion\":\"1.0\",\"id\":\"k-1\",\"source\":\"urn:t\","
          + "\"type\":\"io.pgfleet.command.vacuum.v1\",\"subject\":\"order_db\","
          + "\"time\":\"2026-12-06T00:00:00Z\",\"data\":";

  private static IdempotencyKey key(String data) throws Exception {
    String json = HEAD + data + "}";
    Command command = new CommandCodec().decode(json.getBytes(StandardCharsets.UTF_8));
    return IdempotencyKey.of(command, json);
  }

  @Test
  void the_digest_is_of_the_data_as_received_whatever_its_spacing_or_key_order() throws Exception {
    assertThat(key("{\"tables\":[\"orders\"],\"analyze\":true}"))
        .isEqualTo(key("{ \"analyze\": true,\n \"tables\": [ \"orders\" ] }"));
  }

  @Test
  void other_data_under_the_same_id_is_another_command() throws Exception {
    assertThat(key("{\"tables\":[\"orders\"]}").dataSha256())
        .isNotEqualTo(key("{\"tables\":[\"order_items\"]}").dataSha256());
  }

  @Test
  void the_digest_does_not_depend_on_the_defaults_this_worker_version_fills_in() throws Exception {
    // Defaults filled in would make {} equal to {"analyze": true}; a newer worker with one more
    // defaulted parameter would then no longer recognise a command an older one claimed.
    assertThat(key("{}").dataSha256()).isNotEqualTo(key("{\"analyze\":true}").dataSha256());
  }
}
