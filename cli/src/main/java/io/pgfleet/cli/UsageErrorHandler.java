package io.pgfleet.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Refuses a command line as picocli does (the message, suggestions, the usage, exit code 2), but
 * with the message escaped and cut as {@link ErrorHandler} prints one (picocli quotes the offending
 * argument as it came, and an argument holding a terminal escape sequence would otherwise reach the
 * operator's terminal).
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println(commandLine.getColorScheme().errorText(ErrorHandler.printable(e.getMessage())));
    if (!UnmatchedArgumentException.printSuggestions(e, err)) {
      commandLine.usage(err, commandLine.getColorScheme());
    }
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }
}
