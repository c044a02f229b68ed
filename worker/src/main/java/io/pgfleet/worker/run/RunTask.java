package io.pgfleet.worker.run;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.Origin;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.commands.result.RunState;
import io.pgfleet.worker.ledger.Lease;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.target.TargetDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One command from claim to published result: claim in the ledger, start events, lease heartbeat,
 * target lock, the procedure, the terminal state written (fenced by the attempt), the result left
 * to publish with the command's offset.
 */
public final class RunTask implements Callable<RunEnd> {
  private static final Logger log = LoggerFactory.getLogger(RunTask.class);

  private final RunServices services;
  private final Command command;
  private final String commandJson;
  private final Procedure procedure;
  private final TargetDatabase target;
  private final Cancellation cancellation = new Cancellation();
  private final ResultOutbox outbox;
  private final RunClaim claim;
  private final Attempts attempts;
  private volatile Thread runner;

  RunTask(
      RunServices services,
      Command command,
      String commandJson,
      Procedure procedure,
      TargetDatabase target,
      Origin origin) {
    this.services = services;
    this.command = command;
    this.commandJson = commandJson;
    this.procedure = procedure;
    this.target = target;
    this.outbox = new ResultOutbox(services, command, origin);
    this.claim = new RunClaim(services, command, commandJson, cancellation, outbox);
    this.attempts = new Attempts(services, command, procedure, cancellation);
    // A run blocked in a sleep or a throttled write notices cancellation by interruption.
    cancellation.onCancel(
        () -> {
          Thread t = runner;
          if (t != null) {
            t.interrupt();
          }
        });
  }

  /** Why the command was refused when the run ended {@link RunEnd#REJECTED}; null otherwise. */
  RunError rejection() {
    return claim.rejection();
  }

  /** The result events to publish with the command's offset, once the run ended. */
  List<Outgoing> outgoing() {
    return outbox.outgoing();
  }

  /** The last started or progress event sent, or null: it goes before the run's result. */
  Future<?> eventsSent() {
    return outbox.lastEvent();
  }

  /** Stops the run from outside (worker shutdown). */
  void cancel(String why) {
    cancellation.cancel(why);
  }

  @Override
  public RunEnd call() throws InterruptedException {
    runner = Thread.currentThread();
    // Every log line of the run carries these, as fields in JSON logs.
    MDC.put("commandId", command.id());
    MDC.put("target", command.target());
    MDC.put("operation", command.operation().wireName());
    try {
      return claimAndExecute();
    } finally {
      MDC.remove("commandId");
      MDC.remove("target");
      MDC.remove("operation");
      runner = null;
      Thread.interrupted(); // a late cancellation must not leak into the pool's next task
    }
  }

  private RunEnd claimAndExecute() throws InterruptedException {
    Lease lease = claim.lease();
    if (lease == null) {
      return claim.rejection() == null ? RunEnd.DONE : RunEnd.REJECTED;
    }
    CommandTime time =
        new CommandTime(Duration.ZERO, services.settings().maxCommandAge(), services.clock());
    if (lease.attempt() == 1 && time.expired(command)) {
      RunReport report = outbox.report(lease).expiresAt(time.expiry(command)).build();
      outbox.finish(lease, RunState.EXPIRED, report, null, List.of());
      log.info(
          "command {} on {} expired at {}: not executed",
          command.id(),
          command.target(),
          time.expiry(command));
      return RunEnd.DONE;
    }
    return new LeasedRun(services, command, procedure, target, cancellation, outbox, attempts)
        .execute(lease);
  }
}
