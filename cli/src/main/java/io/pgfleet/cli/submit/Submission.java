package io.pgfleet.cli.submit;

import io.pgfleet.cli.client.ResultPrinter;
import io.pgfleet.cli.client.ResultWatch;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Destructive;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.signing.CommandSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import picocli.CommandLine;

/** Builds the command from the shared options, publishes it, and with --wait follows its run. */
public final class Submission {
  private Submission() {}

  /**
   * Builds the command (an argument the command refuses, such as an invalid target name, is a usage
   * error: exit code 2 and the usage, nothing sent), publishes it and with --wait follows it.
   */
  static int submit(SubmitOptions c, Supplier<Commands.Builder> builder) throws Exception {
    Command command;
    try {
      c.requireSignerWithKey();
      command = build(c, builder.get());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          c.command.commandLine(),
          e.getMessage() == null ? "invalid arguments for this command" : e.getMessage(),
          e);
    }
    ResultWatch watch =
        c.waitForResult
            ? new ResultWatch(
                c.kafka.bootstrapServers(), c.kafka.topics(), c.kafka.clientProperties())
            : null;
    try (watch;
        CommandPublisher publisher =
            CommandPublisher.connect(
                c.kafka.bootstrapServers(), c.kafka.topics(), c.kafka.clientProperties())) {
      publish(publisher, command, c);
      System.out.println(
          "submitted "
              + command.operation().wireName()
              + " of "
              + command.target()
              + " as command "
              + command.id());
      return watch == null ? 0 : follow(watch, command, c.timeout);
    }
  }

  private static Command build(SubmitOptions c, Commands.Builder builder) {
    if (c.id != null) {
      builder.id(c.id);
    }
    builder.source(c.source);
    Duration expiresIn = c.expiresIn;
    if (expiresIn == null && c.signer != null) {
      expiresIn = Duration.ofMinutes(30); // workers accept signed commands only with a short expiry
    }
    if (expiresIn != null) {
      builder.expiresAt(Instant.now().plus(expiresIn));
    }
    Command command = builder.build();
    if (c.signer == null && destructive(command)) {
      System.err.println(
          "note: this "
              + command.operation().wireName()
              + " is destructive"
              + (command.operation() == Operation.PURGE
                  ? " unless its policy keeps an archive"
                  : "")
              + ": workers under the default signature policy refuse it unsigned"
              + " (--signer ID --sign-key FILE)");
    }
    return command;
  }

  private static int follow(ResultWatch watch, Command command, Duration timeout) {
    ResultPrinter printer = new ResultPrinter(System.out, namesItsChecks(command));
    Optional<ResultEvent> end =
        watch.follow(
            e -> command.id().equals(e.data().commandId()) && e.outcome().isTerminal(),
            e -> {
              if (command.id().equals(e.data().commandId())) printer.print(e);
            },
            timeout);
    return end.map(ExitCodes::of)
        .orElseGet(
            () -> {
              System.err.println(
                  "no result within "
                      + timeout
                      + "; the command may still run: pgfleet watch shows it");
              return ExitCodes.TIMED_OUT;
            });
  }

  /** A health check of named checks: the operator asked about these, so show them all. */
  private static boolean namesItsChecks(Command command) {
    return command.operation() == Operation.HEALTH_CHECK
        && !command.params(HealthCheckParams.class).checks().isEmpty();
  }

  private static void publish(CommandPublisher publisher, Command command, SubmitOptions c)
      throws Exception {
    Optional<CommandSigner> signer = c.commandSigner();
    try {
      (signer.isPresent() ? publisher.publish(command, signer.get()) : publisher.publish(command))
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot publish to "
              + c.kafka.topics().commands(command.target())
              + " at "
              + c.kafka.bootstrapServers()
              + ": "
              + cause.getMessage()
              + " (is the target configured in a worker, which creates its topic?)",
          cause);
    }
  }

  /** Whether workers and the dispatcher count the command destructive (they hold the policies). */
  public static boolean destructive(Command command) {
    return Destructive.is(command, Destructive.PurgePolicies.unknown());
  }
}
