package io.pgfleet.cli;

import io.pgfleet.runtime.config.ConfigException;
import picocli.CommandLine;

/** Prints a failure as one line an operator can act on; a stack trace only with PGFLEET_DEBUG. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  static final int FAILED = 1;
  static final int USAGE = 2;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String prefix = e instanceof ConfigException ? "configuration error: " : "error: ";
    commandLine.getErr().println(commandLine.getColorScheme().errorText(prefix + e.getMessage()));
    if (System.getenv("PGFLEET_DEBUG") != null) {
      e.printStackTrace(commandLine.getErr());
    }
    return e instanceof ConfigException ? USAGE : FAILED;
  }
}
