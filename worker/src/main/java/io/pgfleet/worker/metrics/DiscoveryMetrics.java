package io.pgfleet.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What discovery does, per discovery server (labels are server names from the config file): {@code
 * pgfleet_discovery_targets}, {@code pgfleet_discovery_unservable} (databases selected whose names
 * cannot be targets), {@code pgfleet_discovery_retired_total} and {@code
 * pgfleet_discovery_failures_total} (reads of the list that failed).
 */
public final class DiscoveryMetrics {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  DiscoveryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the server's series at 0, so alerts see them before anything happens. */
  public void watch(String server) {
    targets(server, 0);
    unservable(server, 0);
    counter("pgfleet.discovery.retired", "Discovered targets retired", server);
    counter("pgfleet.discovery.failures", "Failed reads of the list of databases", server);
  }

  public void targets(String server, long count) {
    gauge("pgfleet.discovery.targets", "Targets discovered and served now", server).set(count);
  }

  public void unservable(String server, long count) {
    gauge("pgfleet.discovery.unservable", "Databases selected but not valid target names", server)
        .set(count);
  }

  public void retired(String server) {
    counter("pgfleet.discovery.retired", "Discovered targets retired", server).increment();
  }

  public void failed(String server) {
    counter("pgfleet.discovery.failures", "Failed reads of the list of databases", server)
        .increment();
  }

  private Counter counter(String name, String description, String server) {
    return Counter.builder(name).description(description).tag("server", server).register(registry);
  }

  private AtomicLong gauge(String name, String description, String server) {
    return gauges.computeIfAbsent(
        name + "|" + server,
        key -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder(name, value, AtomicLong::get)
              .description(description)
              .tag("server", server)
              .register(registry);
          return value;
        });
  }
}
