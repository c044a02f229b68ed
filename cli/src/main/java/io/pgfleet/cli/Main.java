package io.pgfleet.cli;

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
      DemoCommand.class,
      WorkerCommand.class,
      SubmitCommand.class,
      KeysCommand.class,
      DispatcherCommand.class,
      RunsCommand.class,
      WatchCommand.class,
      BackupsCommand.class,
      BenchCommand.class,
      WalPushCommand.class,
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
    return new CommandLine(new Main())
        .registerConverter(Duration.class, Durations::parse)
        .setExecutionExceptionHandler(new ErrorHandler())
        .execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
