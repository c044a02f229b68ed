package io.pgfleet.dispatcher.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Every metric a dispatcher exposes, named once here (Prometheus conventions, as the worker's).
 * Label values are bounded: configured schedule names, operations, the two sources, API routes as
 * templates, status codes and result outcomes; never command ids or targets of API requests.
 */
public final class DispatcherMetrics {
  /** Where a command came from, by its CloudEvents source. */
  public enum Source {
    SCHEDULE,
    API,
    OTHER;

    static Source of(Command command) {
      String source = command.source();
      if (source.startsWith("urn:pgfleet:schedule:")) {
        return SCHEDULE;
      }
      return source.startsWith("urn:pgfleet:api:") ? API : OTHER;
    }

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong lastTick = new AtomicLong();

  public DispatcherMetrics() {
    Gauge.builder("pgfleet.schedule.last.tick.timestamp", lastTick, AtomicLong::get)
        .baseUnit("seconds")
        .description("When this dispatcher last looked at its schedules (epoch)")
        .register(registry);
    for (Operation operation : Operation.values()) {
      for (Source source : Source.values()) {
        published(operation.wireName(), source);
        publishFailures(operation.wireName(), source);
      }
    }
  }

  /** The metrics in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /** Exposes whether this dispatcher leads (1) or follows (0), as {@code leading} says now. */
  public void leadership(BooleanSupplier leading) {
    Gauge.builder("pgfleet.dispatcher.leader", leading, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 while this dispatcher holds the leader lock and fires the schedules")
        .strongReference(true) // a gauge holds its object weakly, and nothing else holds this one
        .register(registry);
  }

  /** Counters of a configured schedule start at 0, so a rate and an absent fire are visible. */
  public void schedule(String name) {
    fires(name);
    misses(name);
  }

  /** The schedules were looked at (by the leader, or by a follower asking for the lock). */
  public void ticked(Instant at) {
    lastTick.set(at.getEpochSecond());
  }

  /** The leader fired an instant of the schedule. */
  public void fired(String schedule) {
    fires(schedule).increment();
  }

  /** An instant of the schedule passed without a fire (downtime beyond the horizon or window). */
  public void missed(String schedule) {
    misses(schedule).increment();
  }

  /** Kafka acknowledged a command. */
  public void published(Command command) {
    published(command.operation().wireName(), Source.of(command)).increment();
  }

  /** A command could not be published. */
  public void publishFailed(Command command) {
    publishFailures(command.operation().wireName(), Source.of(command)).increment();
  }

  /** The API answered a request: {@code route} is a template such as {@code /api/v1/runs/{id}}. */
  public void apiRequest(String route, int status) {
    Counter.builder("pgfleet.api.requests")
        .description("HTTP API requests answered, by route and status code")
        .tag("route", route)
        .tag("status", String.valueOf(status))
        .register(registry)
        .increment();
  }

  /** A result event was new and is now in the fleet's runs. */
  public void projected(String outcome) {
    Counter.builder("pgfleet.results.projected")
        .description("Result events applied to the fleet's runs, by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  private Counter fires(String schedule) {
    return Counter.builder("pgfleet.schedule.fires")
        .description("Schedule instants fired by this dispatcher")
        .tag("schedule", schedule)
        .register(registry);
  }

  private Counter misses(String schedule) {
    return Counter.builder("pgfleet.schedule.missed")
        .description("Schedule instants recorded as missed")
        .tag("schedule", schedule)
        .register(registry);
  }

  private Counter published(String operation, Source source) {
    return Counter.builder("pgfleet.commands.published")
        .description("Commands acknowledged by Kafka, by operation and source")
        .tag("operation", operation)
        .tag("source", source.label())
        .register(registry);
  }

  private Counter publishFailures(String operation, Source source) {
    return Counter.builder("pgfleet.command.publish.failures")
        .description("Commands Kafka did not take, by operation and source")
        .tag("operation", operation)
        .tag("source", source.label())
        .register(registry);
  }
}
