package io.pgfleet.cli.submit;

import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit health-check}. */
@Command(
    name = "health-check",
    mixinStandardHelpOptions = true,
    description = "The daily health checklist; the result lists every finding that is not ok.")
public final class SubmitHealthCheck extends OperationSubmit {
  SubmitHealthCheck() {
    super(Operation.HEALTH_CHECK);
  }

  @Option(
      names = "--check",
      description =
          "only this check, e.g. connections (repeatable); with --wait each named check is printed"
              + " with its items, ok or not")
  List<String> checks = new ArrayList<>();

  @Override
  OperationParams params() {
    return new HealthCheckParams(checks);
  }
}
