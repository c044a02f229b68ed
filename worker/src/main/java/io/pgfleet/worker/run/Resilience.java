package io.pgfleet.worker.run;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.metrics.WorkerMetrics;
import java.time.Duration;

/**
 * How runs survive transient trouble: a run that fails transiently is tried again with exponential
 * backoff and jitter; a circuit breaker per target stops hammering a database that is down, failing
 * runs at once (retryable) while it is open.
 */
final class Resilience {
  private final RunSettings settings;
  private final CircuitBreakerRegistry breakers;

  Resilience(RunSettings settings, WorkerMetrics metrics) {
    this.settings = settings;
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(100)
                .waitDurationInOpenState(pauseOf(settings))
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(Resilience::targetDown)
                .build());
    breakers.getEventPublisher().onEntryAdded(e -> metrics.watch(e.getAddedEntry()));
  }

  /** How long an open breaker refuses runs before it lets one through to test the target. */
  static Duration pauseOf(RunSettings settings) {
    return settings.retryBackoff().multipliedBy(16);
  }

  /** Tries for one run: retries only what another try can fix. */
  Retry retryFor(String commandId) {
    return Retry.of(
        "run-" + commandId,
        RetryConfig.custom()
            .maxAttempts(Math.max(1, settings.tries()))
            .intervalFunction(
                IntervalFunction.ofExponentialRandomBackoff(settings.retryBackoff(), 2.0, 0.5))
            .retryOnException(Resilience::transient_)
            .build());
  }

  CircuitBreaker breakerFor(String target) {
    return breakers.circuitBreaker(target);
  }

  static boolean transient_(Throwable e) {
    return e instanceof ProcedureFailure f && f.code().retryable();
  }

  private static boolean targetDown(Throwable e) {
    return e instanceof ProcedureFailure f && f.code() == ErrorCode.TARGET_UNREACHABLE;
  }
}
