package io.pgfleet.cli.submit;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.TerminateBackendsParams;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit terminate-backends}. */
@Command(
    name = "terminate-backends",
    mixinStandardHelpOptions = true,
    description =
        "Cancel or terminate sessions of the target database that match every filter given.")
public final class SubmitTerminateBackends extends OperationSubmit {
  SubmitTerminateBackends() {
    super(Operation.TERMINATE_BACKENDS);
  }

  @Option(names = "--action", required = true, description = "cancel or terminate")
  String action;

  @Option(names = "--active-longer-than", description = "a query running longer, e.g. 30m")
  Duration activeLongerThan;

  @Option(
      names = "--idle-in-transaction-longer-than",
      description = "idle in an open transaction longer, e.g. 10m")
  Duration idleInTransactionLongerThan;

  @Option(names = "--idle-longer-than", description = "idle (no transaction open) longer, e.g. 10m")
  Duration idleLongerThan;

  @Option(names = "--application-name", description = "exactly this application_name")
  String applicationName;

  @Option(names = "--user", description = "sessions of exactly this role")
  String user;

  @Option(
      names = "--pid",
      split = ",",
      paramLabel = "PID",
      description =
          "only this session (pg_stat_activity.pid); repeat it or give a list (--pid 41,42). Each"
              + " must be a client session of the target database, or nothing is signalled")
  List<Integer> pids;

  @Option(names = "--include-superusers", description = "also hit superuser sessions")
  boolean includeSuperusers;

  @Mixin DryRunOrConfirm change;

  @Override
  OperationParams params() {
    TerminateBackendsParams params =
        new TerminateBackendsParams(
            action,
            seconds(activeLongerThan, "--active-longer-than"),
            seconds(idleInTransactionLongerThan, "--idle-in-transaction-longer-than"),
            applicationName,
            user,
            includeSuperusers,
            change.dryRun,
            change.confirm,
            seconds(idleLongerThan, "--idle-longer-than"),
            pids);
    return params;
  }
}
