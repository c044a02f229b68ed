package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Any argument vector, for any of pgfleet's commands (every option of that command with the worst
 * values a script could pass it, unknown options, stray words, argument files), is either parsed or
 * refused with exit code 2 and a message that quotes the bad bytes escaped (no terminal escape
 * sequence reaches the screen), in bounded lines, with no stack trace. Parsing only: the command
 * itself is not run, so nothing here needs a server.
 */
class ArgumentPropertiesTest {
  private static final CommandLine COMMAND_LINE =
      Main.commandLine()
          .setExecutionStrategy(parsed -> 0) // parse only: nothing connects
          .setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
  private static final List<String> HOSTILE =
      List.of(
          "",
          " ",
          "-",
          "--",
          "-1",
          "0",
          "99999999999999999999",
          "NaN",
          "1e308",
          "P-1D",
          "\u001b]0;pwned\u0007",
          "\u001b[2J\u001b[H",
          "line\nbreak",
          "carriage\rreturn",
          "\u202eevil",
          "\u00e9\ud83d\udca5",
          "%n%s%x",
          "${jndi:ldap://x/y}",
          "'; DROP TABLE t; --",
          "../../../../etc/passwd",
          "@/nonexistent/pgfleet-args",
          "--target=\u001b[31mred",
          "x".repeat(10_000));

  @Property(tries = 400)
  void any_argument_vector_is_parsed_or_refused_with_exit_2_and_an_escaped_message(
      @ForAll("argumentVectors") List<String> argv) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // one command line for every try, as picocli allows: each parse starts from the defaults
    CommandLine cl = COMMAND_LINE;
    cl.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

    int code = cl.execute(argv.toArray(String[]::new));

    Statistics.label("exit code").collect(code);
    assertThat(code).as("exit code for %s", argv).isIn(0, 2);
    String printed = err.toString();
    if (code == 2) {
      assertThat(printed.lines().findFirst()).as("a first line saying what is wrong").isPresent();
    }
    assertThat(printed.chars().filter(c -> Character.isISOControl(c) && c != '\n'))
        .as("control characters printed for %s: %s", argv, printed)
        .isEmpty();
    assertThat(printed.lines()).allSatisfy(line -> assertThat(line).hasSizeLessThan(600));
    assertThat(printed).doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Provide
  Arbitrary<List<String>> argumentVectors() {
    List<CommandLine> commands = new ArrayList<>();
    collect(Main.commandLine(), commands);
    Arbitrary<String> hostile = Arbitraries.of(HOSTILE);
    Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(40);
    Arbitrary<String> value = Arbitraries.oneOf(hostile, hostile, random);
    return Arbitraries.of(commands)
        .flatMap(
            command -> {
              List<String> names = new ArrayList<>();
              for (OptionSpec option : command.getCommandSpec().options()) {
                names.addAll(List.of(option.names()));
              }
              Arbitrary<List<String>> item =
                  names.isEmpty()
                      ? value.map(List::of)
                      : Arbitraries.oneOf(
                          Combinators.combine(Arbitraries.of(names), value).as(List::of),
                          Arbitraries.of(names).map(List::of),
                          value.map(List::of));
              return item.list()
                  .ofMaxSize(5)
                  .map(
                      items -> {
                        List<String> argv = new ArrayList<>(path(command));
                        items.forEach(argv::addAll);
                        return argv;
                      });
            });
  }

  private static void collect(CommandLine command, List<CommandLine> all) {
    all.add(command);
    command.getSubcommands().values().stream()
        .distinct()
        .filter(sub -> !sub.getCommandSpec().name().equals("help"))
        .forEach(sub -> collect(sub, all));
  }

  private static List<String> path(CommandLine command) {
    List<String> path = new ArrayList<>();
    for (CommandLine c = command; c.getParent() != null; c = c.getParent()) {
      path.add(0, c.getCommandName());
    }
    return path;
  }
}
