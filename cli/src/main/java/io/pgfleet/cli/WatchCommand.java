package io.pgfleet.cli;

import io.pgfleet.cli.client.KafkaOptions;
import io.pgfleet.cli.client.ProgressBar;
import io.pgfleet.cli.client.ResultPrinter;
import io.pgfleet.cli.client.ResultWatch;
import io.pgfleet.commands.TargetName;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pgfleet watch [--target T]}: follows result events live, one line each, with a progress
 * bar for running backups and restores (redrawn in place on a terminal).
 */
@Command(
    name = "watch",
    mixinStandardHelpOptions = true,
    description = "Follows the fleet's result events live; progress bars for backups and restores.")
final class WatchCommand implements Callable<Integer> {
  @Mixin KafkaOptions kafka;

  @Option(
      names = {"-t", "--target"},
      description = "Only this target's events")
  String target;

  @Option(names = "--count", description = "Stop after this many runs ended (default: never)")
  Integer count;

  @Option(names = "--timeout", description = "Stop after this time (default: never)")
  Duration timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      if (target != null) {
        TargetName.require(target); // no event would ever match: refuse, never watch forever
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintStream out = System.out;
    boolean terminal = System.console() != null;
    ResultPrinter printer = new ResultPrinter(out);
    AtomicInteger ended = new AtomicInteger();
    boolean[] barShown = {false};
    try (ResultWatch watch =
        new ResultWatch(kafka.bootstrapServers(), kafka.topics(), kafka.clientProperties())) {
      out.println(
          "watching "
              + kafka.topics().results()
              + (target == null ? "" : " for " + target)
              + " (Ctrl-C stops)");
      watch.follow(
          e -> e.outcome().isTerminal() && count != null && ended.get() >= count,
          e -> {
            if (target != null && !target.equals(e.subject())) {
              return;
            }
            if (e.outcome() == Outcome.PROGRESS && drawsBar(e)) {
              String bar =
                  ProgressBar.render(e.subject() + " " + e.data().operation(), e.data().progress());
              out.print(terminal ? "\r" + bar : bar + System.lineSeparator());
              barShown[0] = terminal;
              return;
            }
            if (barShown[0]) {
              out.println();
              barShown[0] = false;
            }
            if (e.outcome().isTerminal()) {
              ended.incrementAndGet();
            }
            printer.print(e);
          },
          timeout == null ? Duration.ofDays(36_500) : timeout);
    }
    return 0;
  }

  private static boolean drawsBar(ResultEvent e) {
    String op = e.data().operation();
    return e.data().progress() != null
        && op != null
        && (op.contains("backup") || op.contains("restore"));
  }
}
