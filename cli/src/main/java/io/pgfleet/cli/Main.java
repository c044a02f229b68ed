package io.pgfleet.cli;

import io.pgfleet.cli.backups.BackupsCommand;
import io.pgfleet.cli.keys.KeysCommand;
import io.pgfleet.cli.runs.RunsCommand;
import io.pgfleet.cli.submit.SubmitCommand;
import io.pgfleet.commands.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pgfleet} command. */
@Command(
    name = "pgfleet",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Backs up, verifies, vacuums and cleans a fleet of PostgreSQL databases.",
    subcommands = {
      WorkerCommand.class,
      SubmitCommand.class,
      KeysCommand.class,
      ConfigCommand.class,
      DispatcherCommand.class,
      RunsCommand.class,
      WatchCommand.class,
      BackupsCommand.class,
      WalPushCommand.class,
      WalAgentCommand.class,
      WalFetchCommand.class,
      WalCheckCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code, for tests. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line of the shipped commands, to which the dev jar adds demo and bench. */
  public static CommandLine commandLine() {
    return configured(new CommandLine(new Main()));
  }

  /**
   * pgfleet's converters and error handlers on {@code line} and every subcommand it has now
   * (picocli gives converters only to the subcommands present when they are registered): call it
   * again after adding subcommands.
   */
  public static CommandLine configured(CommandLine line) {
    return line.registerConverter(Duration.class, text -> convert(text, Durations::parse))
        .registerConverter(Instant.class, text -> convert(text, Instant::parse))
        .registerConverter(Path.class, text -> convert(text, Path::of))
        .registerConverter(URI.class, text -> convert(text, URI::new))
        .setParameterExceptionHandler(new UsageErrorHandler())
        .setExecutionExceptionHandler(new ErrorHandler());
  }

  /**
   * A value the parser refuses, said in its own words: picocli would print the exception's class
   * and its message, quoting the value as it came.
   */
  private static <T> T convert(String text, CommandLine.ITypeConverter<T> parser) {
    try {
      return parser.convert(text);
    } catch (Exception e) {
      throw new CommandLine.TypeConversionException(
          e.getMessage() == null ? "not a valid value" : e.getMessage());
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
