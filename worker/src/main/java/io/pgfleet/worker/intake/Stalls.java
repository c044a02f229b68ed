package io.pgfleet.worker.intake;

import io.pgfleet.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Partitions whose next record keeps failing: a run that threw before a terminal state (counted per
 * offset), or a rejection Kafka does not have yet. A partition stalls once its record failed twice
 * in a row, or its rejection is still unsent after the first retry.
 */
final class Stalls {
  private final Duration retryAfterError;
  private final Map<TopicPartition, Failures> failures = new HashMap<>();
  private final Map<TopicPartition, Failures> unsent = new HashMap<>();
  private volatile Map<String, Duration> byTopic = Map.of();

  /** How often in a row the partition's next record failed to be handled, and since when. */
  record Failures(long offset, int count, Instant since) {
    static Failures after(Failures previous, long offset, Instant now) {
      return previous != null && previous.offset() == offset
          ? new Failures(offset, previous.count() + 1, previous.since())
          : new Failures(offset, 1, now);
    }

    boolean stalled() {
      return count >= 2;
    }
  }

  Stalls(Duration retryAfterError) {
    this.retryAfterError = retryAfterError;
  }

  /** The record at {@code offset} failed once more; how often in a row it has now. */
  Failures failed(TopicPartition tp, long offset, Instant now) {
    Failures failed = Failures.after(failures.get(tp), offset, now);
    failures.put(tp, failed);
    return failed;
  }

  /** The partition's record was handled (or given up): it no longer counts as failing. */
  void handled(TopicPartition tp) {
    failures.remove(tp);
  }

  /** Rejections Kafka does not have yet, by partition and offset; all others were sent. */
  void unsent(Map<TopicPartition, Long> unsettled, Instant now) {
    unsent.keySet().retainAll(unsettled.keySet());
    unsettled.forEach(
        (tp, offset) -> {
          if (unsent.get(tp) == null || unsent.get(tp).offset() != offset) {
            unsent.put(tp, new Failures(offset, 1, now));
          }
        });
  }

  /**
   * Per topic, seconds stalled to the metrics: for the topics of partitions that fail now, that
   * failed at the last measure (back to 0) and {@code topics} (measured for their lag); and per
   * topic the longest stall. Walks the failing partitions only, not the assignment.
   */
  void measure(Set<String> topics, Instant now, WorkerMetrics metrics) {
    if (topics.isEmpty() && failures.isEmpty() && unsent.isEmpty() && byTopic.isEmpty()) {
      return;
    }
    Map<String, Duration> stuck = new HashMap<>();
    Set<TopicPartition> failing = new HashSet<>(failures.keySet());
    failing.addAll(unsent.keySet());
    for (TopicPartition tp : failing) {
      Failures notSent = unsent.get(tp);
      for (Failures f : new Failures[] {failures.get(tp), notSent}) {
        // A rejection not on Kafka after its first retry is as stuck as a run tried twice.
        boolean isStuck =
            f != null
                && (f == notSent ? !now.isBefore(f.since().plus(retryAfterError)) : f.stalled());
        if (isStuck) {
          stuck.merge(
              tp.topic(), Duration.between(f.since(), now), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
      }
    }
    Set<String> report = new HashSet<>(topics);
    report.addAll(byTopic.keySet());
    report.addAll(stuck.keySet());
    for (String topic : report) {
      Duration stalled = stuck.get(topic);
      metrics.intakeStalled(topic, stalled == null ? 0 : Math.max(1, stalled.toSeconds()));
    }
    byTopic = Map.copyOf(stuck);
  }

  /** Topics stalled at the last measure, with for how long; safe to read from any thread. */
  Map<String, Duration> byTopic() {
    return byTopic;
  }

  void forget(Collection<TopicPartition> partitions) {
    failures.keySet().removeAll(partitions);
    unsent.keySet().removeAll(partitions);
  }
}
