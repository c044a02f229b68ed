package io.pgfleet.worker.intake;

import io.pgfleet.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
  private final Map<String, Duration> byTopic = new ConcurrentHashMap<>();

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

  /** Per assigned partition, seconds stalled to the metrics, and per topic the longest stall. */
  void measure(Set<TopicPartition> assignment, Instant now, WorkerMetrics metrics) {
    byTopic.clear();
    for (TopicPartition tp : assignment) {
      long seconds = 0;
      Failures notSent = unsent.get(tp);
      for (Failures f : new Failures[] {failures.get(tp), notSent}) {
        // A rejection not on Kafka after its first retry is as stuck as a run tried twice.
        boolean stuck =
            f != null
                && (f == notSent ? !now.isBefore(f.since().plus(retryAfterError)) : f.stalled());
        if (stuck) {
          Duration stalled = Duration.between(f.since(), now);
          byTopic.merge(tp.topic(), stalled, (a, b) -> a.compareTo(b) >= 0 ? a : b);
          seconds = Math.max(seconds, Math.max(1, stalled.toSeconds()));
        }
      }
      metrics.intakeStalled(tp.topic(), seconds);
    }
  }

  /** Topics stalled at the last measure, with for how long; safe to read from any thread. */
  Map<String, Duration> byTopic() {
    return Map.copyOf(byTopic);
  }

  void forget(Collection<TopicPartition> partitions) {
    failures.keySet().removeAll(partitions);
    unsent.keySet().removeAll(partitions);
  }
}
