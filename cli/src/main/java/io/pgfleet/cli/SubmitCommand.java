package io.pgfleet.cli;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.CommandPublisher;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit <operation> --target T [--wait]}: publishes one command. */
@picocli.CommandLine.Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Publishes a maintenance command to a target's topic.",
    subcommands = {SubmitCommand.Backup.class, SubmitCommand.Purge.class})
final class SubmitCommand {
  static final int FAILED = 1;
  static final int REJECTED = 3;
  static final int EXPIRED = 4;
  static final int TIMED_OUT = 5;

  /** Options every operation shares. */
  static final class Common {
    @Option(
        names = {"-t", "--target"},
        required = true,
        description = "The target's logical name, e.g. order_db")
    String target;

    @Option(
        names = "--id",
        description = "Command id (the idempotency key); default: a random UUID")
    String id;

    @Option(
        names = "--source",
        defaultValue = "urn:pgfleet:cli:${sys:user.name}",
        description = "Who asks (default: ${DEFAULT-VALUE})")
    String source;

    @Option(
        names = "--expires-in",
        description = "Not started within this time: expired, not executed (e.g. 3h)")
    Duration expiresIn;

    @Option(
        names = {"-w", "--wait"},
        description = "Wait for the result; exit 0 only if the run succeeded")
    boolean waitForResult;

    @Option(
        names = "--timeout",
        defaultValue = "1h",
        description = "How long --wait waits (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @Mixin KafkaOptions kafka;
  }

  /** {@code pgfleet submit backup}. */
  @picocli.CommandLine.Command(
      name = "backup",
      mixinStandardHelpOptions = true,
      description = "Logical backup (pg_dump, custom format) to S3.")
  static final class Backup implements Callable<Integer> {
    @Mixin Common common;

    @Option(names = "--compression-level", description = "gzip level 0-9 (default: 6)")
    Integer compressionLevel;

    @Override
    public Integer call() throws Exception {
      return submit(
          common, Commands.backup(common.target).params(new BackupParams(null, compressionLevel)));
    }
  }

  /** {@code pgfleet submit purge}. */
  @picocli.CommandLine.Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description =
          "Retention purge by a policy of the target's worker config: expired rows deleted (or"
              + " archived, then deleted) in short batches, then ANALYZE.")
  static final class Purge implements Callable<Integer> {
    @Mixin Common common;

    @Option(
        names = {"-p", "--policy"},
        required = true,
        description = "Name of a purge policy configured for the target, e.g. outbox-published")
    String policy;

    @Override
    public Integer call() throws Exception {
      return submit(common, Commands.purge(common.target, policy));
    }
  }

  static int submit(Common c, Commands.Builder builder) throws Exception {
    if (c.id != null) {
      builder.id(c.id);
    }
    builder.source(c.source);
    if (c.expiresIn != null) {
      builder.expiresAt(Instant.now().plus(c.expiresIn));
    }
    Command command = builder.build();
    ResultWatch watch =
        c.waitForResult
            ? new ResultWatch(
                c.kafka.bootstrapServers, c.kafka.topics(), c.kafka.clientProperties())
            : null;
    try (watch;
        CommandPublisher publisher =
            CommandPublisher.connect(
                c.kafka.bootstrapServers, c.kafka.topics(), c.kafka.clientProperties())) {
      publish(publisher, command, c);
      System.out.println(
          "submitted "
              + command.operation().wireName()
              + " of "
              + command.target()
              + " as command "
              + command.id());
      if (watch == null) {
        return 0;
      }
      ResultPrinter printer = new ResultPrinter(System.out);
      Optional<ResultEvent> end =
          watch.follow(
              e -> command.id().equals(e.data().commandId()) && e.outcome().isTerminal(),
              e -> {
                if (command.id().equals(e.data().commandId())) printer.print(e);
              },
              c.timeout);
      return end.map(SubmitCommand::exitCode)
          .orElseGet(
              () -> {
                System.err.println(
                    "no result within "
                        + c.timeout
                        + "; the command may still run: pgfleet watch shows it");
                return TIMED_OUT;
              });
    }
  }

  private static void publish(CommandPublisher publisher, Command command, Common c)
      throws Exception {
    try {
      publisher.publish(command).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot publish to "
              + c.kafka.topics().commands(command.target())
              + " at "
              + c.kafka.bootstrapServers
              + ": "
              + cause.getMessage()
              + " (is the target configured in a worker, which creates its topic?)",
          cause);
    }
  }

  static int exitCode(ResultEvent end) {
    Outcome outcome = end.outcome();
    if (outcome == Outcome.DUPLICATE) {
      outcome = Outcome.fromWireName(end.data().original().outcome()).orElse(Outcome.FAILED);
    }
    return switch (outcome) {
      case SUCCEEDED -> 0;
      case REJECTED -> REJECTED;
      case EXPIRED -> EXPIRED;
      default -> FAILED;
    };
  }
}
