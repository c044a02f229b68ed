package io.pgfleet.runtime.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether the worker can do its job: each dependency (Kafka, the ledger, S3) is checked in the
 * background every {@code interval} with a timeout, so a probe reads a cached answer at once and a
 * hanging dependency never hangs the probe.
 */
public final class Readiness implements AutoCloseable {
  /** One cheap call that throws when its dependency is unreachable. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /**
   * Thrown by a check whose dependency answers but is not in a state to work: its message shows.
   */
  public static final class NotReady extends Exception {
    public NotReady(String message) {
      super(message, null, false, false);
    }
  }

  /** The last answer: ready when every check passed; each check's problem, or "ok". */
  public record Status(boolean ready, Map<String, String> checks) {}

  private final Map<String, Check> checks;
  private final Duration timeout;
  private final ScheduledExecutorService schedule;
  private final ExecutorService probes;
  private volatile Status status;

  public Readiness(Map<String, Check> checks, Duration interval, Duration timeout) {
    this.checks = Map.copyOf(checks);
    this.timeout = timeout;
    this.schedule = Executors.newSingleThreadScheduledExecutor(daemon("pgfleet-readiness"));
    this.probes = Executors.newCachedThreadPool(daemon("pgfleet-readiness-check"));
    Map<String, String> unknown = new LinkedHashMap<>();
    checks.keySet().forEach(name -> unknown.put(name, "not checked yet"));
    this.status = new Status(false, unknown);
    schedule.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Status status() {
    return status;
  }

  private void refresh() {
    Map<String, Future<?>> running = new LinkedHashMap<>();
    checks.forEach(
        (name, check) ->
            running.put(
                name,
                probes.submit(
                    () -> {
                      check.run();
                      return null;
                    })));
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> results = new LinkedHashMap<>();
    running.forEach((name, future) -> results.put(name, outcome(future, deadline)));
    status = new Status(results.values().stream().allMatch("ok"::equals), results);
  }

  private String outcome(Future<?> future, long deadline) {
    try {
      future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return "ok";
    } catch (TimeoutException e) {
      future.cancel(true);
      return "no answer within " + timeout.toMillis() + " ms";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof NotReady notReady) {
        return notReady.getMessage();
      }
      return "unreachable: " + cause.getClass().getSimpleName();
    }
  }

  @Override
  public void close() {
    schedule.shutdownNow();
    probes.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
