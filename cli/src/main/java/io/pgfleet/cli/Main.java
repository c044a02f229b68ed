package io.pgfleet.cli;

import io.pgfleet.cli.backups.BackupsCommand;
import io.pgfleet.cli.keys.KeysCommand;
import io.pgfleet.cli.runs.RunsCommand;
import io.pgfleet.cli.submit.SubmitCommand;
import io.pgfleet.commands.Durations;
import java.time.Duration;
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
    return new CommandLine(new Main())
        .registerConverter(Duration.class, Durations::parse)
        .setExecutionExceptionHandler(new ErrorHandler());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
