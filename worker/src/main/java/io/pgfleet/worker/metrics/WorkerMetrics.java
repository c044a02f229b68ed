package io.pgfleet.worker.metrics;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.worker.wal.RecoverableWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every metric a worker exposes, named once here (Prometheus conventions: {@code pgfleet_} prefix,
 * base units, {@code _total} counters). The rest of the worker reports events; this class decides
 * what they count as. Label values are bounded: operations, outcomes, error codes and configured
 * targets only, never command ids.
 */
public final class WorkerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Map<String, Counter> runs = new ConcurrentHashMap<>();
  private final Map<Operation, Timer> runDurations = new ConcurrentHashMap<>();
  private final AtomicInteger foreignGroups = new AtomicInteger();
  private final TargetTimestamps timestamps = new TargetTimestamps(registry);
  private final DrillGauges drills = new DrillGauges(registry);
  private final GaugeFamily lag =
      new GaugeFamily(
          registry,
          "pgfleet.consumer.lag",
          "topic",
          "records",
          "Commands waiting in a target topic for this worker");
  private final GaugeFamily stalled =
      new GaugeFamily(
          registry,
          "pgfleet.intake.stalled",
          "topic",
          "seconds",
          "Seconds a target topic's next command has been failing to be handled");
  private final GaugeFamily slotRetained =
      new GaugeFamily(
          registry,
          "pgfleet.wal.stream.slot.retained",
          "target",
          "bytes",
          "WAL the target's server keeps for pgfleet's streaming slot");
  private final HealthGauges health = new HealthGauges(registry);
  private final IntegrityGauges integrity = new IntegrityGauges(registry);
  private final DiscoveryMetrics discovery = new DiscoveryMetrics(registry);

  public WorkerMetrics() {
    Gauge.builder("pgfleet.runs.in.flight", inFlight, AtomicInteger::get)
        .description("Runs executing in this worker now")
        .register(registry);
    Gauge.builder("pgfleet.worker.foreign.groups", foreignGroups, AtomicInteger::get)
        .description("Other worker groups executing this fleet's commands (should be 0)")
        .register(registry);
    // Counters exist from the start, so rates and alerts see a 0 rather than no series.
    uploaded();
    for (Operation operation : Operation.values()) {
      retries(operation);
    }
  }

  /** How many other worker groups consume this fleet's command topics. */
  public void foreignWorkerGroups(int count) {
    foreignGroups.set(count);
  }

  public DiscoveryMetrics discovery() {
    return discovery;
  }

  /** The metrics in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  public void runStarted() {
    inFlight.incrementAndGet();
  }

  public void runLeft() {
    inFlight.decrementAndGet();
  }

  /**
   * A run reached a result: counted by operation and outcome, timed when it executed, its
   * artifacts' bytes added to the uploaded total, and a success of a backup or drill stamped per
   * target.
   */
  public void runEnded(
      Operation operation,
      String target,
      Outcome outcome,
      Duration took,
      List<Artifact> artifacts,
      Instant at) {
    String op = operation.wireName();
    // Looked up once per label set: building and registering a meter per run costs a cheap run's
    // worth of CPU in the registry's id lookups.
    runs.computeIfAbsent(
            op + "/" + outcome.name(),
            k ->
                Counter.builder("pgfleet.runs")
                    .description("Runs that reached a result, by operation and outcome")
                    .tag("operation", op)
                    .tag("outcome", label(outcome.name()))
                    .register(registry))
        .increment();
    if (took != null) {
      runDurations
          .computeIfAbsent(
              operation,
              k ->
                  Timer.builder("pgfleet.run.duration")
                      .description("How long runs took from start to result")
                      .tag("operation", op)
                      .publishPercentileHistogram()
                      .minimumExpectedValue(Duration.ofMillis(100))
                      .maximumExpectedValue(Duration.ofHours(12))
                      .register(registry))
          .record(took);
    }
    long bytes = artifacts.stream().mapToLong(Artifact::bytes).sum();
    if (bytes > 0) {
      uploaded().increment(bytes);
    }
    if (outcome == Outcome.SUCCEEDED) {
      if (operation == Operation.BACKUP) {
        timestamps.backedUp(target, at);
      } else if (operation == Operation.VERIFY_BACKUP) {
        timestamps.verified(target, at);
      }
    }
  }

  /**
   * What the ledger already knows when the worker starts: the newest backup of a target and its
   * verification, so the timestamps survive restarts and do not wait for the next backup.
   */
  public void remembered(String target, Instant lastBackup, Instant lastVerified) {
    if (lastBackup != null) {
      timestamps.backedUp(target, lastBackup);
    }
    if (lastVerified != null) {
      timestamps.verified(target, lastVerified);
    }
  }

  /**
   * A health check of the target succeeded: its values become the target's {@code pgfleet_health_*}
   * gauges.
   */
  public void healthChecked(
      String target, List<Finding> findings, Map<String, Object> statistics, Instant at) {
    health.checked(target, findings, statistics, at);
  }

  /**
   * A check-integrity run of the target succeeded (or the ledger's last one, at start): its
   * corruption counts and end time become the target's {@code pgfleet_integrity_*} gauges.
   */
  public void integrityChecked(String target, List<Finding> findings, Instant at) {
    integrity.checked(target, findings, at);
  }

  /** A restore drill succeeded: its restore time, and the RTO it was held to if any. */
  public void drillRestored(String target, Map<String, Object> statistics) {
    if (statistics.get("restoreMs") instanceof Number restore) {
      Object rto = statistics.get("rtoMs");
      drills.restored(target, restore.longValue(), rto instanceof Number n ? n.longValue() : null);
    }
  }

  /** A run failed transiently and is tried again. */
  public void retried(Operation operation) {
    retries(operation).increment();
  }

  private Counter retries(Operation operation) {
    return Counter.builder("pgfleet.retries")
        .description("Tries after a transient failure")
        .tag("operation", operation.wireName())
        .register(registry);
  }

  private Counter uploaded() {
    return Counter.builder("pgfleet.uploaded")
        .baseUnit("bytes")
        .description("Bytes of artifacts stored in S3")
        .register(registry);
  }

  /** A command was rejected and copied to the dead-letter topic. */
  public void deadLettered(String errorCode) {
    Counter.builder("pgfleet.dlq.records")
        .description("Commands rejected and copied to the dead-letter topic, by error code")
        .tag("code", label(errorCode))
        .register(registry)
        .increment();
  }

  /** Exposes a target's breaker: one series per state, 1 for the current one. */
  public void watch(CircuitBreaker breaker) {
    for (CircuitBreaker.State state :
        List.of(
            CircuitBreaker.State.CLOSED,
            CircuitBreaker.State.OPEN,
            CircuitBreaker.State.HALF_OPEN)) {
      Gauge.builder("pgfleet.circuit.breaker.state", breaker, b -> b.getState() == state ? 1 : 0)
          .description("1 for the current state of a target's circuit breaker")
          .tag("target", breaker.getName())
          .tag("state", label(state.name()))
          .register(registry);
    }
  }

  /** Commands of a target topic not yet finished by this worker: unread plus queued. */
  public void consumerLag(String topic, long records) {
    lag.set(topic, records);
  }

  /**
   * How long a target topic's next command has been blocked by handling that keeps failing ({@code
   * pgfleet_intake_stalled_seconds}); 0 while it moves on.
   */
  public void intakeStalled(String topic, long seconds) {
    stalled.set(topic, seconds);
  }

  /**
   * A target's recoverable window: {@code pgfleet_recoverable_window_start_timestamp_seconds} (the
   * oldest base backup's start) and {@code ..._end_timestamp_seconds} (when the newest segment
   * recovery can reach was archived; the window's freshness). No end series while the window is
   * empty (its first segment is missing).
   */
  public void recoverableWindow(String target, RecoverableWindow window) {
    timestamps.recoverableWindow(target, window);
  }

  /**
   * {@code pgfleet_wal_stream_slot_retained_bytes}: WAL the target's server keeps for its streaming
   * slot (grows while no streamer runs or the archive is slow); reported by the worker streaming
   * it. {@code bytes} below 0 removes the series (the target left streaming).
   */
  public void slotRetained(String target, long bytes) {
    if (bytes < 0) {
      slotRetained.remove(target);
    } else {
      slotRetained.set(target, bytes);
    }
  }

  private static String label(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
