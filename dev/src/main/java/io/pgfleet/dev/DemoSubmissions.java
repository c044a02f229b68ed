package io.pgfleet.dev;

import io.pgfleet.cli.client.ResultPrinter;
import io.pgfleet.cli.client.ResultWatch;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** Publishes the demo's commands, one per sample database, and prints results as they arrive. */
final class DemoSubmissions {
  private final ResultWatch watch;
  private final CommandPublisher publisher;
  private final List<SampleDatabase> databases;
  private final PrintStream out;

  DemoSubmissions(
      ResultWatch watch,
      CommandPublisher publisher,
      List<SampleDatabase> databases,
      PrintStream out) {
    this.watch = watch;
    this.publisher = publisher;
    this.databases = databases;
    this.out = out;
  }

  /** Publishes one command per sample database and waits for all their results. */
  List<ResultEvent> submitAll(Function<SampleDatabase, Commands.Builder> command) {
    List<Command> commands = new ArrayList<>();
    for (SampleDatabase db : databases) {
      Command c = command.apply(db).source("urn:pgfleet:demo").build();
      publisher.publish(c).join();
      commands.add(c);
    }
    return awaitAll(commands);
  }

  /** The retention purges of every sample database, signed by the demo operator. */
  List<ResultEvent> purgeAll(CommandSigner operator) {
    List<Command> commands = new ArrayList<>();
    for (SampleDatabase db : databases) {
      for (var policy : DemoPurges.policiesFor(db.name())) {
        Command c =
            Commands.purge(db.name(), policy.name())
                .source("urn:pgfleet:demo")
                .expiresAt(Instant.now().plus(Duration.ofMinutes(30)))
                .build();
        publisher.publish(c, operator).join();
        commands.add(c);
      }
    }
    return awaitAll(commands);
  }

  List<ResultEvent> awaitAll(List<Command> commands) {
    ResultPrinter printer = new ResultPrinter(out);
    Set<String> open = new HashSet<>(commands.stream().map(Command::id).toList());
    List<ResultEvent> ends = new ArrayList<>();
    watch.follow(
        e -> {
          if (e.outcome().isTerminal() && open.remove(e.data().commandId())) {
            ends.add(e);
          }
          return open.isEmpty();
        },
        e -> {
          if (commands.stream().anyMatch(c -> c.id().equals(e.data().commandId()))) {
            printer.print(e);
          }
        },
        Duration.ofMinutes(5));
    if (!open.isEmpty()) {
      throw new IllegalStateException("no result within 5 minutes for " + open);
    }
    return ends;
  }
}
