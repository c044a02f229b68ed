package io.pgfleet.cli.submit;

import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit health-check}. */
@Command(
    name = "health-check",
    mixinStandardHelpOptions = true,
    description = "The daily health checklist; the result lists every finding that is not ok.")
public final class SubmitHealthCheck implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Option(names = "--check", description = "only this check, e.g. connections (repeatable)")
  List<String> checks = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    return Submission.submit(
        common, Commands.of(Operation.HEALTH_CHECK, common.target, new HealthCheckParams(checks)));
  }
}
