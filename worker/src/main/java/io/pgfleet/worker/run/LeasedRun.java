package io.pgfleet.worker.run;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.commands.result.RunState;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.Lease;
import io.pgfleet.worker.ledger.LeaseLostException;
import io.pgfleet.worker.ledger.TargetLock;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.target.Redaction;
import io.pgfleet.worker.target.TargetDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A claimed run under its lease: started event, heartbeat, the target lock for heavy operations,
 * the attempts, and the terminal state through the outbox; how it ended when it did not finish.
 */
final class LeasedRun {
  private static final Logger log = LoggerFactory.getLogger(LeasedRun.class);
  private static final Duration LOCK_POLL = Duration.ofMillis(500);

  private final RunServices services;
  private final Command command;
  private final Procedure procedure;
  private final TargetDatabase target;
  private final Cancellation cancellation;
  private final ResultOutbox outbox;
  private final Attempts attempts;

  LeasedRun(
      RunServices services,
      Command command,
      Procedure procedure,
      TargetDatabase target,
      Cancellation cancellation,
      ResultOutbox outbox,
      Attempts attempts) {
    this.services = services;
    this.command = command;
    this.procedure = procedure;
    this.target = target;
    this.cancellation = cancellation;
    this.outbox = outbox;
    this.attempts = attempts;
  }

  RunEnd execute(Lease lease) throws InterruptedException {
    services.metrics().runStarted();
    try {
      return executeCounted(lease);
    } finally {
      services.metrics().runLeft();
    }
  }

  private RunEnd executeCounted(Lease lease) throws InterruptedException {
    Instant startedAt = lease.startedAt().truncatedTo(ChronoUnit.MILLIS);
    outbox.publish(Outcome.STARTED, outbox.report(lease).startedAt(startedAt).build());
    log.info(
        "run {} of {} on {} started (attempt {})",
        command.id(),
        command.operation().wireName(),
        command.target(),
        lease.attempt());
    try (Heartbeat heartbeat =
        new Heartbeat(
            services.scheduler(),
            services.ledger(),
            lease,
            services.settings().leaseTtl(),
            cancellation)) {
      try (TargetLock lock =
          procedure.heavy(command)
              ? services.ledger().lockTarget(command.target(), LOCK_POLL)
              : null) {
        cancellation.check();
        ProcedureResult result = attempts.run(context(lease, startedAt));
        RunReport report =
            outbox
                .report(lease)
                .startedAt(startedAt)
                .finishedAt(outbox.now())
                .artifacts(result.artifacts())
                .statistics(attempts.withTries(result.statistics()))
                .findings(result.findings())
                .build();
        return outbox.finish(
            lease, RunState.SUCCEEDED, report, null, result.artifacts(), result.catalog());
      } catch (ProcedureFailure failure) {
        return outbox.fail(lease, startedAt, redact(failure.toError()));
      } catch (InterruptedException e) {
        if (heartbeat.lost()) {
          log.warn(
              "run {} attempt {} lost its lease; another worker owns it now",
              command.id(),
              lease.attempt());
          return RunEnd.REDELIVER;
        }
        log.warn("run {} stopped: {}", command.id(), cancellation.reason());
        services.ledger().release(lease);
        return RunEnd.ABANDONED;
      } catch (RuntimeException e) {
        log.error("run {} failed unexpectedly", command.id(), e);
        return outbox.fail(
            lease,
            startedAt,
            redact(RunError.of(ErrorCode.INTERNAL_ERROR, "internal error: " + e)));
      }
    } catch (LeaseLostException e) {
      log.warn(e.getMessage());
      return RunEnd.REDELIVER;
    }
  }

  private RunContext context(Lease lease, Instant startedAt) {
    ProgressThrottle progress =
        new ProgressThrottle(
            services.clock(),
            services.settings().progressInterval(),
            p ->
                outbox.publish(
                    Outcome.PROGRESS,
                    outbox.report(lease).startedAt(startedAt).progress(p).build()));
    return new RunContext(command, lease, target, services.store(), progress, cancellation);
  }

  private RunError redact(RunError error) {
    String message = target.redact(Redaction.redact(error.message()));
    return new RunError(error.code(), message, error.retryable(), error.field());
  }
}
