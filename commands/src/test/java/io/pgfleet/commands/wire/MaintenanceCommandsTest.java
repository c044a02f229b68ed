package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ReindexParams;
import io.pgfleet.commands.VacuumParams;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The maintenance commands refuse what could smuggle SQL or mean two things at once. */
class MaintenanceCommandsTest {
  private final CommandCodec codec = new CommandCodec();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "orders; DROP TABLE orders",
        "\\\"orders\\\"",
        "orders'--",
        "public.orders.x",
        "1orders",
        "orders ",
        ""
      })
  void a_table_name_with_quotes_semicolons_or_spaces_is_rejected_by_its_pointer(String name) {
    CommandRejection r = reject("vacuum", "{\"tables\":[\"orders\",\"" + name + "\"]}");

    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().field()).isEqualTo("/data/tables/1");
    assertThat(r.error().message()).startsWith("/data/tables/1: ");
  }

  @Test
  void reindex_needs_exactly_one_scope() {
    CommandRejection r = reject("reindex", "{\"index\":\"orders_pkey\",\"table\":\"orders\"}");

    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().message()).contains("give exactly one of index, table or database");
    assertThat(reject("reindex", "{}").error().message())
        .contains("give exactly one of index, table or database");
  }

  @Test
  void terminate_backends_needs_an_action_and_a_filter() {
    assertThat(reject("terminate-backends", "{\"applicationName\":\"x\"}").error().message())
        .contains("action");
    CommandRejection r = reject("terminate-backends", "{\"action\":\"terminate\"}");
    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().field()).isEqualTo("/data");
    assertThat(r.error().message()).contains("give at least one filter");
  }

  @Test
  void a_health_check_of_an_unknown_check_is_rejected() {
    CommandRejection r = reject("health-check", "{\"checks\":[\"connections\",\"vibes\"]}");

    assertThat(r.error().field()).isEqualTo("/data/checks/1");
  }

  @Test
  void maintenance_commands_round_trip_with_their_defaults() throws Exception {
    Command vacuum =
        Commands.of(Operation.VACUUM, "order_db", VacuumParams.defaults()).id("v-1").build();
    Command reindex =
        Commands.of(Operation.REINDEX, "order_db", ReindexParams.table("orders")).build();

    assertThat(codec.decode(codec.encode(vacuum))).isEqualTo(vacuum);
    assertThat(codec.decode(codec.encode(reindex))).isEqualTo(reindex);
    assertThat(vacuum.params(VacuumParams.class).analyze()).isTrue();
    assertThat(reindex.params(ReindexParams.class).concurrently()).isTrue();
  }

  private CommandRejection reject(String operation, String data) {
    String json =
        "{\"specversion\":\"1.0\",\"id\":\"c-1\",\"source\":\"urn:test\","
            + "\"type\":\"io.pgfleet.command."
            + operation
            + ".v1\",\"subject\":\"order_db\",\"time\":\"2026-11-21T02:00:00Z\",\"data\":"
            + data
            + "}";
    CommandRejection r =
        catchThrowableOfType(
            CommandRejection.class, () -> codec.decode(json.getBytes(StandardCharsets.UTF_8)));
    assertThat(r).as("rejection of " + data).isNotNull();
    return r;
  }
}
