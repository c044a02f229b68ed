package io.pgfleet.worker.run;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.Original;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.Claim;
import io.pgfleet.worker.ledger.IdempotencyKey;
import io.pgfleet.worker.ledger.Lease;
import io.pgfleet.worker.ledger.LeaseLostException;
import io.pgfleet.worker.ledger.RunState;
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
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One command from claim to published result: claim in the ledger, start events, lease heartbeat,
 * target lock, the procedure, the terminal state written (fenced by the attempt), the result on
 * Kafka.
 */
public final class RunTask implements Callable<RunEnd> {
  private static final Logger log = LoggerFactory.getLogger(RunTask.class);
  private static final Duration LOCK_POLL = Duration.ofMillis(500);

  private final RunServices services;
  private final Command command;
  private final String commandJson;
  private final Procedure procedure;
  private final TargetDatabase target;
  private final Cancellation cancellation = new Cancellation();
  private volatile Thread runner;
  private volatile RunError rejection;
  private int tries;

  RunTask(
      RunServices services,
      Command command,
      String commandJson,
      Procedure procedure,
      TargetDatabase target) {
    this.services = services;
    this.command = command;
    this.commandJson = commandJson;
    this.procedure = procedure;
    this.target = target;
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
    return rejection;
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
    Lease lease = claim();
    if (lease == null) {
      return rejection == null ? RunEnd.DONE : RunEnd.REJECTED;
    }
    CommandTime time =
        new CommandTime(Duration.ZERO, services.settings().maxCommandAge(), services.clock());
    if (lease.attempt() == 1 && time.expired(command)) {
      RunReport report = report(lease).expiresAt(time.expiry(command)).build();
      finish(lease, RunState.EXPIRED, Outcome.EXPIRED, report, null, List.of());
      log.info(
          "command {} on {} expired at {}: not executed",
          command.id(),
          command.target(),
          time.expiry(command));
      return RunEnd.DONE;
    }
    return execute(lease);
  }

  /**
   * The lease, or null when the command already ended (the duplicate is then reported) or its id
   * belongs to another command (then {@link #rejection} says so).
   */
  private Lease claim() throws InterruptedException {
    IdempotencyKey key = IdempotencyKey.of(command);
    while (true) {
      Claim claim =
          services
              .ledger()
              .claim(key, services.workerId(), services.settings().leaseTtl(), commandJson);
      if (claim instanceof Claim.Granted granted) {
        return granted.lease();
      }
      if (claim instanceof Claim.AlreadyFinished done) {
        reportDuplicate(done);
        return null;
      }
      if (claim instanceof Claim.Conflict) {
        rejection =
            RunError.of(
                ErrorCode.COMMAND_ID_CONFLICT,
                "command id "
                    + command.id()
                    + " is already taken by another command (another target, operation or"
                    + " parameters); an id means one command: publish this one under a new id",
                "/id");
        log.warn("command {} reuses the id of another command: not executed", command.id());
        return null;
      }
      waitFor((Claim.HeldElsewhere) claim);
    }
  }

  private void waitFor(Claim.HeldElsewhere held) throws InterruptedException {
    log.info(
        "command {} is held by {} (attempt {}) until {}; waiting",
        command.id(),
        held.worker(),
        held.attempt(),
        held.leaseExpiresAt());
    long millis =
        Math.max(
            200, Math.min(2_000, held.leaseExpiresAt().toEpochMilli() - services.clock().millis()));
    Thread.sleep(millis);
    cancellation.check();
  }

  private void reportDuplicate(Claim.AlreadyFinished done) {
    if (done.unpublishedResult() != null) {
      // The worker that finished it died before Kafka had the result: publish it now.
      services.results().publishAndWait(command.target(), done.unpublishedResult());
      services.ledger().markPublished(command.id());
    }
    RunReport report =
        RunReport.builder(command.operation().wireName(), services.workerId())
            .commandId(command.id())
            .original(new Original(done.state().sqlName(), done.attempt(), done.finishedAt()))
            .build();
    services.results().publishAndWait(command.target(), encode(Outcome.DUPLICATE, report));
    services
        .metrics()
        .runEnded(command.operation(), command.target(), Outcome.DUPLICATE, null, List.of(), now());
    log.info(
        "command {} already {}: duplicate, not executed", command.id(), done.state().sqlName());
  }

  private RunEnd execute(Lease lease) throws InterruptedException {
    services.metrics().runStarted();
    try {
      return executeCounted(lease);
    } finally {
      services.metrics().runLeft();
    }
  }

  private RunEnd executeCounted(Lease lease) throws InterruptedException {
    Instant startedAt = lease.startedAt().truncatedTo(ChronoUnit.MILLIS);
    services.results().publish(event(Outcome.STARTED, report(lease).startedAt(startedAt).build()));
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
          procedure.heavy() ? services.ledger().lockTarget(command.target(), LOCK_POLL) : null) {
        cancellation.check();
        ProcedureResult result = executeWithRetries(context(lease, startedAt));
        RunReport report =
            report(lease)
                .startedAt(startedAt)
                .finishedAt(now())
                .artifacts(result.artifacts())
                .statistics(withTries(result.statistics()))
                .findings(result.findings())
                .build();
        return finish(
            lease, RunState.SUCCEEDED, Outcome.SUCCEEDED, report, null, result.artifacts());
      } catch (ProcedureFailure failure) {
        return fail(lease, startedAt, redact(failure.toError()));
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
        return fail(
            lease,
            startedAt,
            redact(RunError.of(ErrorCode.INTERNAL_ERROR, "internal error: " + e)));
      }
    } catch (LeaseLostException e) {
      log.warn(e.getMessage());
      return RunEnd.REDELIVER;
    }
  }

  /**
   * Runs the procedure, again after transient failures (backoff with jitter), unless the target's
   * circuit breaker is open: then it fails at once, retryable, without touching the target.
   */
  private ProcedureResult executeWithRetries(RunContext context)
      throws ProcedureFailure, InterruptedException {
    Retry.Context<ProcedureResult> retry = services.resilience().retryFor(command.id()).context();
    CircuitBreaker breaker = services.resilience().breakerFor(command.target());
    for (int tried = 1; ; tried++) {
      tries = tried;
      try {
        ProcedureResult result = breaker.executeCheckedSupplier(() -> procedure.execute(context));
        retry.onComplete();
        return result;
      } catch (CallNotPermittedException open) {
        throw new ProcedureFailure(
            ErrorCode.TARGET_UNREACHABLE,
            "not tried: target "
                + command.target()
                + " failed to answer on every recent run, so its circuit breaker is open; it is"
                + " tried again after a pause",
            open);
      } catch (ProcedureFailure failure) {
        if (!Resilience.transient_(failure)) {
          throw failure;
        }
        log.warn(
            "run {} try {} failed: {}; trying again", command.id(), tried, failure.getMessage());
        waitOrGiveUp(retry, failure, tried);
        services.metrics().retried(command.operation());
      } catch (InterruptedException | RuntimeException e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A run that needed more than one try says so. */
  private java.util.Map<String, Object> withTries(java.util.Map<String, Object> statistics) {
    if (tries <= 1) {
      return statistics;
    }
    java.util.Map<String, Object> all = new java.util.LinkedHashMap<>(statistics);
    all.put("tries", tries);
    return all;
  }

  private void waitOrGiveUp(
      Retry.Context<ProcedureResult> retry, ProcedureFailure failure, int tried)
      throws ProcedureFailure, InterruptedException {
    try {
      retry.onError(failure);
    } catch (ProcedureFailure exhausted) {
      throw new ProcedureFailure(
          failure.code(), "gave up after " + tried + " tries: " + failure.getMessage(), failure);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    cancellation.check();
    if (Thread.interrupted()) {
      throw new InterruptedException(cancellation.reason());
    }
  }

  private RunEnd fail(Lease lease, Instant startedAt, RunError error) {
    RunReport report = report(lease).startedAt(startedAt).finishedAt(now()).error(error).build();
    log.warn(
        "run {} on {} failed: {} {}",
        command.id(),
        command.target(),
        error.code(),
        error.message());
    return finish(lease, RunState.FAILED, Outcome.FAILED, report, error, List.of());
  }

  private RunEnd finish(
      Lease lease,
      RunState state,
      Outcome outcome,
      RunReport report,
      RunError error,
      List<Artifact> artifacts) {
    byte[] event = encode(outcome, report);
    services.ledger().finish(lease, state, error, json(report), event, artifacts);
    services.results().publishAndWait(command.target(), event);
    services.ledger().markPublished(command.id());
    services
        .metrics()
        .runEnded(
            command.operation(),
            command.target(),
            outcome,
            report.durationMs() == null ? null : Duration.ofMillis(report.durationMs()),
            artifacts,
            now());
    if (state == RunState.SUCCEEDED
        && report.findings() != null
        && command.operation() == io.pgfleet.commands.Operation.HEALTH_CHECK) {
      services
          .metrics()
          .healthChecked(command.target(), report.findings(), report.statistics(), now());
    }
    if (state == RunState.SUCCEEDED) {
      log.info(
          "run {} on {} succeeded in {} ms", command.id(), command.target(), report.durationMs());
    }
    return RunEnd.DONE;
  }

  private RunContext context(Lease lease, Instant startedAt) {
    ProgressThrottle progress =
        new ProgressThrottle(
            services.clock(),
            services.settings().progressInterval(),
            p ->
                services
                    .results()
                    .publish(
                        event(
                            Outcome.PROGRESS,
                            report(lease).startedAt(startedAt).progress(p).build())));
    return new RunContext(command, lease, target, services.store(), progress, cancellation);
  }

  private RunReport.Builder report(Lease lease) {
    return RunReport.builder(command.operation().wireName(), services.workerId())
        .commandId(command.id())
        .attempt(lease.attempt());
  }

  private ResultEvent event(Outcome outcome, RunReport report) {
    return ResultEvent.of(outcome, services.workerId(), command.target(), now(), report);
  }

  private byte[] encode(Outcome outcome, RunReport report) {
    return services.results().encode(event(outcome, report));
  }

  private RunError redact(RunError error) {
    String message = target.redact(Redaction.redact(error.message()));
    return new RunError(error.code(), message, error.retryable(), error.field());
  }

  private Instant now() {
    return services.clock().instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String json(RunReport report) {
    try {
      return Json.mapper().writeValueAsString(report);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the report of a run", e);
    }
  }
}
