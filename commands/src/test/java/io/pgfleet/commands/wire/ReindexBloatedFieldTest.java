package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.ReindexParams;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reindex command's {@code bloated} and {@code dryRun}: bad values end in INVALID_COMMAND. */
class ReindexBloatedFieldTest {
  private final CommandCodec codec = new CommandCodec();

  @ParameterizedTest(name = "{0} is rejected at {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"bloated\":\"yes\"}                      | /data/bloated | boolean",
        "{\"bloated\":\"true\"}                     | /data/bloated | boolean",
        "{\"bloated\":1}                            | /data/bloated | boolean",
        "{\"bloated\":null}                         | /data/bloated | boolean",
        "{\"bloated\":[true]}                       | /data/bloated | boolean",
        "{\"bloated\":{}}                           | /data/bloated | boolean",
        "{\"bloated\":true,\"dryRun\":\"no\"}       | /data/dryRun  | boolean",
        "{\"bloated\":true,\"dryRun\":0}            | /data/dryRun  | boolean",
        "{\"bloated\":true,\"onlyBloated\":true}    | /data         | onlyBloated",
        "{\"bloated\":true,\"index\":\"orders_pkey\"} | /data       | give exactly one of",
        "{\"bloated\":true,\"database\":true}       | /data         | give exactly one of",
        "{\"bloated\":false}                        | /data         | give exactly one of",
        "{\"dryRun\":true}                          | /data         | give exactly one of"
      })
  void a_bad_bloated_or_dry_run_value_is_rejected_as_an_invalid_command(
      String data, String field, String says) {
    CommandRejection r =
        catchThrowableOfType(CommandRejection.class, () -> codec.decode(reindex(data)));

    assertThat(r).as("rejection of " + data).isNotNull();
    assertThat(r.error().code()).isEqualTo("INVALID_COMMAND");
    assertThat(r.error().field()).isEqualTo(field);
    assertThat(r.error().message()).contains(says);
  }

  @ParameterizedTest(name = "{0} is accepted")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"bloated\":true}                                       | false | true",
        "{\"bloated\":true,\"dryRun\":true}                       | true  | true",
        "{\"bloated\":true,\"concurrently\":true,\"dryRun\":false} | false | true",
        "{\"database\":true,\"bloated\":false}                    | false | false"
      })
  void a_valid_bloated_command_decodes_with_its_defaults(
      String data, boolean dryRun, boolean bloated) throws Exception {
    Command command = codec.decode(reindex(data));
    ReindexParams params = command.params(ReindexParams.class);

    assertThat(params.bloated()).isEqualTo(bloated);
    assertThat(params.dryRun()).isEqualTo(dryRun);
    assertThat(params.concurrently()).isTrue();
    assertThat(codec.decode(codec.encode(command))).isEqualTo(command);
  }

  private static byte[] reindex(String data) {
    return ("{\"specversion\":\"1.0\",\"id\":\"c-1\",\"source\":\"urn:test\","
            + "\"type\":\"io.pgfleet.command.reindex.v1\",\"subject\":\"order_db\","
            + "\"time\":\"2026-11-21T02:00:00Z\",\"data\":"
            + data
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
