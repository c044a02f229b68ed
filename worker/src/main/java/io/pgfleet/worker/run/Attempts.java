package io.pgfleet.worker.run;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tries of one run: the procedure again after transient failures (backoff with jitter), unless
 * the target's circuit breaker is open: then it fails at once, retryable, without touching the
 * target.
 */
final class Attempts {
  private static final Logger log = LoggerFactory.getLogger(Attempts.class);

  private final RunServices services;
  private final Command command;
  private final Procedure procedure;
  private final Cancellation cancellation;
  private int tries;

  Attempts(RunServices services, Command command, Procedure procedure, Cancellation cancellation) {
    this.services = services;
    this.command = command;
    this.procedure = procedure;
    this.cancellation = cancellation;
  }

  ProcedureResult run(RunContext context) throws ProcedureFailure, InterruptedException {
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
  Map<String, Object> withTries(Map<String, Object> statistics) {
    if (tries <= 1) {
      return statistics;
    }
    Map<String, Object> all = new LinkedHashMap<>(statistics);
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
}
