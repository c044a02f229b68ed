package io.pgfleet.commands.wire;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.RunError;
import java.util.Optional;

/**
 * A command that cannot be executed as received, with what could still be read of it (the id and
 * operation, when they were well-formed) so the rejection can be reported against it.
 */
public final class CommandRejection extends Exception {
  private final transient RunError error;
  private final String commandId;
  private final String operation;

  public CommandRejection(RunError error, String commandId, String operation) {
    super(error.message(), null, false, false);
    this.error = error;
    this.commandId = commandId;
    this.operation = operation;
  }

  public static CommandRejection of(ErrorCode code, String message) {
    return new CommandRejection(RunError.of(code, message), null, null);
  }

  public RunError error() {
    return error;
  }

  public Optional<String> commandId() {
    return Optional.ofNullable(commandId);
  }

  public Optional<String> operation() {
    return Optional.ofNullable(operation);
  }
}
