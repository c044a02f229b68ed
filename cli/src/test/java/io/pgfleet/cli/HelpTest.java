package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The first thing a new user types: help for every command, with nothing else on the screen. */
class HelpTest {

  @Test
  void help_of_every_command_and_subcommand_prints_usage_and_no_warning() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new Main()), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(20);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertThat(run.code()).as("exit code of %s", args).isZero();
      assertThat(run.out()).as("usage of %s", args).contains("Usage:");
      assertThat(run.out() + run.err())
          .as("warnings of %s", args)
          .doesNotContainIgnoringCase("warn");
      assertThat(run.err()).as("stderr of %s", args).isEmpty();
    }
  }

  private static void collect(CommandLine line, List<String> path, List<List<String>> into) {
    if (line.getCommandSpec().mixinStandardHelpOptions()) {
      into.add(List.copyOf(path));
    }
    line.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (sub.getCommandSpec().name().equals(name)) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, into);
              }
            });
  }
}
