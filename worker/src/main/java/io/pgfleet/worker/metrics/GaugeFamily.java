package io.pgfleet.worker.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** One gauge per value of a label (a topic, a target), registered the first time it is set. */
final class GaugeFamily {
  private final MeterRegistry registry;
  private final String name;
  private final String label;
  private final String unit;
  private final String description;
  private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

  GaugeFamily(MeterRegistry registry, String name, String label, String unit, String description) {
    this.registry = registry;
    this.name = name;
    this.label = label;
    this.unit = unit;
    this.description = description;
  }

  void set(String labelValue, long value) {
    values
        .computeIfAbsent(
            labelValue,
            v -> {
              AtomicLong gauge = new AtomicLong();
              Gauge.builder(name, gauge, AtomicLong::get)
                  .baseUnit(unit)
                  .description(description)
                  .tag(label, v)
                  .register(registry);
              return gauge;
            })
        .set(value);
  }

  /** Removes the series: it no longer describes anything (a target left streaming). */
  void remove(String labelValue) {
    if (values.remove(labelValue) != null) {
      var meter = registry.find(name).tag(label, labelValue).meter();
      if (meter != null) {
        registry.remove(meter);
      }
    }
  }
}
