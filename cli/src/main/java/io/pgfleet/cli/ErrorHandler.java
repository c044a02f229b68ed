package io.pgfleet.cli;

import io.pgfleet.commands.Printable;
import io.pgfleet.runtime.config.ConfigException;
import java.util.stream.Collectors;
import picocli.CommandLine;

/** Prints a failure as one line an operator can act on; a stack trace only with PGFLEET_DEBUG. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
  static final int FAILED = 1;
  static final int USAGE = 2;
  private static final int MAX_LINE = 500;

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    String prefix = e instanceof ConfigException ? "configuration error: " : "error: ";
    commandLine.getErr().println(commandLine.getColorScheme().errorText(prefix + message(e)));
    if (System.getenv("PGFLEET_DEBUG") != null) {
      e.printStackTrace(commandLine.getErr());
    }
    return e instanceof ConfigException ? USAGE : FAILED;
  }

  /**
   * The message, each line escaped and cut (it may quote a config file's or a server's bytes); for
   * an exception without one, what it is and where it was thrown, never "null".
   */
  static String message(Exception e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      StackTraceElement[] trace = e.getStackTrace();
      return e.getClass().getSimpleName()
          + (trace.length == 0 ? "" : " at " + trace[0])
          + " (an internal error: PGFLEET_DEBUG=1 prints the stack trace to report)";
    }
    return printable(m);
  }

  /** Each line escaped and cut to at most {@code MAX_LINE} characters on the screen, plus "...". */
  static String printable(String message) {
    return message.lines().map(ErrorHandler::line).collect(Collectors.joining("\n"));
  }

  private static String line(String text) {
    String escaped = Printable.cut(text, MAX_LINE); // an escape takes up to 7 characters
    return escaped.length() <= MAX_LINE + 3 ? escaped : escaped.substring(0, MAX_LINE) + "...";
  }
}
