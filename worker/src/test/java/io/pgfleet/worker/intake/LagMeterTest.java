package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.local.Scrape;
import io.pgfleet.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The lag and stall gauges: measured where something may have changed, not over every target. */
class LagMeterTest {
  private final Map<TopicPartition, Long> unread = new HashMap<>();
  private final AtomicInteger lagReads = new AtomicInteger();
  private final MockConsumer<byte[], byte[]> consumer =
      new MockConsumer<>("earliest") {
        @Override
        public synchronized OptionalLong currentLag(TopicPartition tp) {
          lagReads.incrementAndGet();
          return OptionalLong.of(unread.getOrDefault(tp, 0L));
        }
      };
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final WorkerMetrics metrics = new WorkerMetrics();
  private final PartitionQueues pending = new PartitionQueues();
  private final Stalls stalls = new Stalls(Duration.ofSeconds(5));
  private final RunsInFlight running =
      new RunsInFlight(pending, null, null, stalls, clock, Duration.ofSeconds(5));
  private final LagMeter meter = new LagMeter(consumer, pending, running, stalls, metrics, clock);
  private final List<TopicPartition> thousand = new ArrayList<>();

  LagMeterTest() {
    for (int i = 0; i < 1000; i++) {
      thousand.add(new TopicPartition("t" + i, 0));
    }
    consumer.assign(thousand);
  }

  @Test
  void a_thousand_idle_partitions_are_measured_once_then_not_again_until_one_changes() {
    meter.changed(thousand);
    meter.measure();
    assertThat(lagReads).hasValue(1000);
    assertThat(lag("t0")).isZero();
    assertThat(lag("t999")).isZero();
    assertThat(stalled("t999")).isZero();

    for (int i = 0; i < 20; i++) { // 40 s of idle polls
      now = now.plusSeconds(2);
      meter.measure();
    }
    assertThat(lagReads).hasValue(1000);

    unread.put(thousand.get(7), 3L);
    meter.changed(List.of(thousand.get(7))); // a poll returned records of t7
    now = now.plusSeconds(2);
    meter.measure();
    assertThat(lagReads).hasValue(1001);
    assertThat(lag("t7")).isEqualTo(3);
  }

  @Test
  void a_topic_not_at_zero_is_measured_until_it_is_and_every_partition_once_a_minute() {
    meter.changed(thousand);
    meter.measure();
    unread.put(thousand.get(1), 2L);
    meter.changed(List.of(thousand.get(1)));
    now = now.plusSeconds(5);
    meter.measure();
    assertThat(lag("t1")).isEqualTo(2);

    unread.put(thousand.get(1), 0L); // read without a poll returning records of it
    now = now.plusSeconds(1);
    meter.measure();
    assertThat(lag("t1")).isZero();

    unread.put(thousand.get(500), 4L); // a change no poll showed, caught by the sweep
    now = now.plus(LagMeter.SWEEP);
    meter.measure();
    assertThat(lag("t500")).isEqualTo(4);
  }

  @Test
  void a_stalled_topic_is_reported_while_it_fails_and_back_at_zero_once_it_moves_on() {
    meter.changed(thousand);
    meter.measure();
    TopicPartition tp = thousand.get(3);
    stalls.failed(tp, 10, now);
    now = now.plusSeconds(3);
    stalls.failed(tp, 10, now);
    now = now.plusSeconds(10);
    meter.measure();
    assertThat(stalled("t3")).isEqualTo(13);
    assertThat(stalls.byTopic()).containsOnlyKeys("t3");
    assertThat(lagReads).hasValue(1000); // the stall walked no partition's lag

    stalls.handled(tp);
    now = now.plusSeconds(5);
    meter.measure();
    assertThat(stalled("t3")).isZero();
    assertThat(stalls.byTopic()).isEmpty();
  }

  private double lag(String topic) {
    return new Scrape(200, metrics.scrape())
        .require("pgfleet_consumer_lag_records", "topic=\"" + topic + "\"");
  }

  private double stalled(String topic) {
    return new Scrape(200, metrics.scrape())
        .require("pgfleet_intake_stalled_seconds", "topic=\"" + topic + "\"");
  }
}
