package io.pgfleet.worker.intake;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Printable;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.worker.run.RunEnd;
import io.pgfleet.worker.run.RunExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run executing for each partition (at most one), and runs of partitions taken away that still
 * finish; when one ends, its record is settled, rejected, or queued to be tried again.
 */
final class RunsInFlight {
  private static final Logger log = LoggerFactory.getLogger(RunsInFlight.class);
  private static final Duration RETRY_AFTER_LEASE_LOSS = Duration.ofSeconds(1);

  /** Tries of a record whose handling fails for a reason that is not transient. */
  static final int MAX_TRIES = 3;

  private final PartitionQueues pending;
  private final Settlement settlement;
  private final Rejections rejections;
  private final Stalls stalls;
  private final Clock clock;
  private final Duration retryAfterError;
  private final Map<TopicPartition, InFlight> running = new HashMap<>();
  private final List<InFlight> orphans = new ArrayList<>();

  private record InFlight(
      ConsumerRecord<byte[], byte[]> record, Command command, RunExecutor.Handle handle) {}

  RunsInFlight(
      PartitionQueues pending,
      Settlement settlement,
      Rejections rejections,
      Stalls stalls,
      Clock clock,
      Duration retryAfterError) {
    this.pending = pending;
    this.settlement = settlement;
    this.rejections = rejections;
    this.stalls = stalls;
    this.clock = clock;
    this.retryAfterError = retryAfterError;
  }

  void start(
      TopicPartition tp,
      ConsumerRecord<byte[], byte[]> record,
      Command command,
      RunExecutor.Handle handle) {
    running.put(tp, new InFlight(record, command, handle));
  }

  boolean busy(TopicPartition tp) {
    return running.containsKey(tp);
  }

  /** Whether a run of {@code topic} is executing: its result is published with its offset. */
  boolean busy(String topic) {
    return running.keySet().stream().anyMatch(tp -> tp.topic().equals(topic));
  }

  boolean none() {
    return running.isEmpty();
  }

  boolean anyLeft() {
    return !running.isEmpty() || !orphans.isEmpty();
  }

  void cancelAll(String why) {
    running.values().forEach(f -> f.handle().cancel(why));
    orphans.forEach(f -> f.handle().cancel(why));
  }

  /** Partitions taken away: their runs go on (they hold their leases) but settle nothing here. */
  void orphan(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      InFlight flight = running.remove(tp);
      if (flight != null) {
        orphans.add(flight);
      }
    }
  }

  /** Settles every run that ended: its results, its rejection or its retry. */
  void collectFinished(Consumer<?, ?> consumer) {
    Iterator<Map.Entry<TopicPartition, InFlight>> it = running.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<TopicPartition, InFlight> e = it.next();
      InFlight flight = e.getValue();
      if (!flight.handle().end().isDone()) {
        continue;
      }
      it.remove();
      TopicPartition tp = e.getKey();
      switch (endOf(flight)) {
        case DONE -> settleDone(tp, flight, consumer);
        case REJECTED -> {
          stalls.handled(tp);
          rejectAfterClaim(tp, flight);
        }
        case REDELIVER -> requeue(tp, flight.record(), RETRY_AFTER_LEASE_LOSS);
        case ABANDONED -> {}
      }
    }
    orphans.removeIf(o -> o.handle().end().isDone());
  }

  private void settleDone(TopicPartition tp, InFlight flight, Consumer<?, ?> consumer) {
    try {
      settlement.add(
          RunResults.settled(
              tp,
              flight.record().offset(),
              flight.handle().outgoing(),
              flight.handle().eventsSent(),
              settlement,
              consumer));
      stalls.handled(tp);
    } catch (KafkaException e) {
      log.warn("cannot read the committed offset of {}: {}; will retry", tp, e.toString());
      requeue(tp, flight.record(), retryAfterError);
    }
  }

  /** A command the ledger refused (its id is another command's): reported like a rejection. */
  private void rejectAfterClaim(TopicPartition tp, InFlight flight) {
    Command command = flight.command();
    rejections.reject(
        tp,
        flight.record(),
        new Verdict.Rejected(
            flight.handle().rejection(),
            command.id(),
            command.operation().wireName(),
            command.target()));
  }

  private RunEnd endOf(InFlight flight) {
    try {
      return flight.handle().end().get();
    } catch (ExecutionException e) {
      return failed(flight, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RunEnd.ABANDONED;
    }
  }

  /**
   * A run threw before its command reached a terminal state. A transient failure (a server down) is
   * tried again every few seconds, for as long as it lasts, and shows as a stall; any other is
   * tried {@link #MAX_TRIES} times in all, then the record is dead-lettered with the reason.
   */
  private RunEnd failed(InFlight flight, Throwable cause) {
    ConsumerRecord<byte[], byte[]> record = flight.record();
    TopicPartition tp = partition(record);
    Stalls.Failures now = stalls.failed(tp, record.offset(), clock.instant());
    boolean transientFailure = Transience.isTransient(cause);
    if (!transientFailure && now.count() >= MAX_TRIES) {
      log.error(
          "handling {}-{}@{} failed {} times for a reason a retry cannot fix; dead-lettering it",
          record.topic(),
          record.partition(),
          record.offset(),
          now.count(),
          cause);
      stalls.handled(tp);
      Command command = flight.command();
      rejections.reject(
          tp,
          record,
          new Verdict.Rejected(
              RunError.of(
                  ErrorCode.HANDLING_FAILED,
                  "handling the command failed "
                      + now.count()
                      + " times: "
                      + Printable.cut(String.valueOf(cause), 300)),
              command.id(),
              command.operation().wireName(),
              command.target()));
      return RunEnd.ABANDONED;
    }
    log.error(
        "run of {}-{}@{} failed before reaching a terminal state ({}, try {}); will retry",
        record.topic(),
        record.partition(),
        record.offset(),
        transientFailure ? "transient" : "not transient",
        now.count(),
        cause);
    requeue(
        tp,
        record,
        transientFailure
            ? retryAfterError
            : retryAfterError.dividedBy(5).multipliedBy(now.count()));
    return RunEnd.ABANDONED;
  }

  private void requeue(TopicPartition tp, ConsumerRecord<byte[], byte[]> record, Duration after) {
    pending.retryAt(tp, record, clock.instant().plus(after));
  }

  private static TopicPartition partition(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }
}
