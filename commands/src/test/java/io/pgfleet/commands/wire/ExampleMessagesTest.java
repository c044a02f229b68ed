package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.stream.Stream;
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

  static byte[] example(String path) throws IOException {
    String resource = "/io/pgfleet/schemas/v1/examples/" + path;
    try (InputStream in = ExampleMessagesTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return in.readAllBytes();
    }
  }
}
