package io.pgfleet.dev;

import io.pgfleet.cli.Main;
import picocli.CommandLine;

/**
 * The {@code pgfleet} command with the dev tools: every shipped command plus {@code demo} and
 * {@code bench}, which need the in-process local stack the shipped jar leaves out.
 */
public final class DevMain {
  private DevMain() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code, for tests. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine line = Main.commandLine();
    line.addSubcommand(new DemoCommand());
    line.addSubcommand(new CommandLine(new io.pgfleet.dev.bench.BenchCommand()));
    return Main.configured(line);
  }
}
