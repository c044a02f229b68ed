package io.pgfleet.cli.submit;

import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A {@code pgfleet submit} subcommand: one operation on {@code --target}, with its parameters. */
abstract class OperationSubmit implements Callable<Integer> {
  @Mixin SubmitOptions common;

  private final Operation operation;

  OperationSubmit(Operation operation) {
    this.operation = operation;
  }

  /** The operation's parameters, from this subcommand's own options. */
  abstract OperationParams params();

  /** Whole seconds, as the parameters carry them; one too large to carry is the user's error. */
  static Integer seconds(java.time.Duration d, String option) {
    if (d == null) {
      return null;
    }
    if (d.toSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          option + " " + d + " is too long: at most " + Integer.MAX_VALUE + " seconds");
    }
    return (int) d.toSeconds();
  }

  @Override
  public final Integer call() throws Exception {
    return Submission.submit(common, () -> Commands.of(operation, common.target, params()));
  }
}
