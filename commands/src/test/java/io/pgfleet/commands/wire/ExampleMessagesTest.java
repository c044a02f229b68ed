package io.pgfleet.commands.wire;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class ExampleMessagesTest {
  private final CommandCodec commands = new CommandCodec();
  private final ResultCodec results = new ResultCodec();

  static Stream<Operation> operations() {
    return Arrays.stream(Operation.values());
  }

  @ParameterizedTest
  @MethodSource("operations")
  void every_command_example_decodes_and_reencodes_to_a_valid_command(Operation operation)
      throws Exception {
    byte[] example = example("commands/" + operation.wireName() + ".json");

    Command command = commands.decode(example);
    Command again = commands.decode(commands.encode(command));

    assertThat(command.operation()).isEqualTo(operation);
    assertThat(again).isEqualTo(command);
  }

  @Test
  void the_directory_backup_example_asks_for_parallel_jobs() throws Exception {
    Command command = commands.decode(example("commands/backup-directory.json"));

    BackupParams params = command.params(BackupParams.class);
    assertThat(params.directory()).isTrue();
    assertThat(params.jobs()).isEqualTo(4);
    assertThat(commands.decode(commands.encode(command))).isEqualTo(command);
  }

  @Test
  void jobs_out_of_bounds_or_on_a_custom_backup_are_refused_saying_what_to_fix() throws Exception {
    String example = new String(example("commands/backup-directory.json"), UTF_8);

    assertThat(rejection(example.replace("\"jobs\": 4", "\"jobs\": 0"))).contains("/data/jobs");
    assertThat(rejection(example.replace("\"jobs\": 4", "\"jobs\": 65"))).contains("/data/jobs");
    assertThat(rejection(example.replace("\"directory\"", "\"custom\"")))
        .contains("jobs 4 needs format 'directory'");
  }

  private String rejection(String command) {
    try {
      commands.decode(command.getBytes(UTF_8));
    } catch (CommandRejection e) {
      return e.error().code() + " " + e.error().message() + " " + e.error().field();
    }
    throw new AssertionError("accepted: " + command);
  }

  @ParameterizedTest
  @EnumSource(Outcome.class)
  void every_result_example_is_valid_and_survives_the_java_model(Outcome outcome) throws Exception {
    byte[] example = example("results/" + outcome.wireName() + ".json");

    assertThat(results.violation(example)).isEmpty();
    ResultEvent event = results.decode(example);
    assertThat(event.outcome()).isEqualTo(outcome);
    byte[] reencoded = results.encode(event);
    assertThat(results.violation(reencoded)).isEmpty();
    assertThat(Json.mapper().readTree(reencoded)).isEqualTo(Json.mapper().readTree(example));
  }

  @Test
  void the_health_check_example_carries_findings_that_survive_the_java_model() throws Exception {
    byte[] example = example("results/succeeded-health-check.json");

    assertThat(results.violation(example)).isEmpty();
    ResultEvent event = results.decode(example);
    assertThat(event.data().findings()).hasSize(4);
    assertThat(event.data().findings().get(1).status()).isEqualTo(Finding.Status.WARNING);
    byte[] reencoded = results.encode(event);
    assertThat(Json.mapper().readTree(reencoded)).isEqualTo(Json.mapper().readTree(example));
  }

  @Test
  void the_prune_example_carries_a_recoverable_window_that_the_schema_checks() throws Exception {
    String example = new String(example("results/succeeded-prune-backups-pitr.json"), UTF_8);

    assertThat(results.violation(example.getBytes(UTF_8))).isEmpty();
    ResultEvent event = results.decode(example.getBytes(UTF_8));
    assertThat(Json.mapper().readTree(results.encode(event)))
        .isEqualTo(Json.mapper().readTree(example));
    assertThat(
            results.violation(
                example
                    .replace("\"startLsn\": \"13/A2000028\"", "\"startLsn\": \"soon\"")
                    .getBytes(UTF_8)))
        .isPresent();
  }

  @Test
  void a_finding_with_an_unknown_status_breaks_the_schema() throws Exception {
    String example = new String(example("results/succeeded-health-check.json"), UTF_8);

    assertThat(
            results.violation(
                example.replace("\"critical\", \"value\"", "\"dire\", \"value\"").getBytes(UTF_8)))
        .isPresent();
  }

  static byte[] example(String path) throws IOException {
    String resource = "/io/pgfleet/schemas/v1/examples/" + path;
    try (InputStream in = ExampleMessagesTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return in.readAllBytes();
    }
  }
}
