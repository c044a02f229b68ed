package io.pgfleet.worker.intake;

import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.result.ResultPublisher;
import io.pgfleet.worker.run.RunEnd;
import io.pgfleet.worker.run.RunExecutor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer thread. Commands of one target run one at a time, in order: while a run executes its
 * partition is paused and the loop keeps polling, so a run of any length never makes the worker
 * leave the group. An offset is committed only once its command reached a terminal state and the
 * result is on Kafka.
 */
public final class CommandLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(CommandLoop.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration RETRY_AFTER_LEASE_LOSS = Duration.ofSeconds(1);
  private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(5);

  private final Consumer<String, byte[]> consumer;
  private final List<String> subscription;
  private final Admission admission;
  private final RunExecutor executor;
  private final ResultPublisher results;
  private final String workerId;
  private final Clock clock;
  private final Duration shutdownGrace;
  private final WorkerMetrics metrics;
  private Instant lagMeasuredAt = Instant.MIN;

  private final Map<TopicPartition, Deque<ConsumerRecord<String, byte[]>>> pending =
      new HashMap<>();
  private final Map<TopicPartition, InFlight> running = new HashMap<>();
  private final Map<TopicPartition, Instant> notBefore = new HashMap<>();
  private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
  private final List<InFlight> orphans = new ArrayList<>();
  private final List<PendingAck> acks = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger rebalances =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean stopping;

  private record InFlight(
      ConsumerRecord<String, byte[]> record,
      Verdict.Admitted admitted,
      RunExecutor.Handle handle) {}

  /** A rejection whose DLQ copy and result are on their way; its offset waits for both. */
  private record PendingAck(
      TopicPartition partition, long offset, List<Future<RecordMetadata>> sends) {}

  CommandLoop(
      Consumer<String, byte[]> consumer,
      List<String> subscription,
      Admission admission,
      RunExecutor executor,
      ResultPublisher results,
      String workerId,
      Clock clock,
      Duration shutdownGrace,
      WorkerMetrics metrics) {
    this.consumer = consumer;
    this.subscription = subscription;
    this.admission = admission;
    this.executor = executor;
    this.results = results;
    this.workerId = workerId;
    this.clock = clock;
    this.shutdownGrace = shutdownGrace;
    this.metrics = metrics;
  }

  /** How often partitions were taken from this worker while it was running. */
  public int rebalances() {
    return rebalances.get();
  }

  /** Asks the loop to stop: running commands get the grace period to finish. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  @Override
  public void run() {
    consumer.subscribe(subscription, new Rebalance());
    try {
      while (!stopping) {
        try {
          pollOnce();
        } catch (WakeupException e) {
          // A run ended (it wakes the loop to dispatch the partition's next command at once), or
          // stop() was called: the while condition tells which.
        }
      }
    } finally {
      drain();
      consumer.close();
    }
  }

  private void pollOnce() {
    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
    for (TopicPartition tp : records.partitions()) {
      pending.computeIfAbsent(tp, k -> new ArrayDeque<>()).addAll(records.records(tp));
    }
    collectFinished();
    dispatch();
    commit();
    measureLag();
  }

  /**
   * Per target topic, the commands this worker has not finished: unread (from the consumer's fetch
   * position, no broker call) plus queued here plus running. Measured at most once a second.
   */
  private void measureLag() {
    Instant now = clock.instant();
    if (now.isBefore(lagMeasuredAt.plusSeconds(1))) {
      return;
    }
    lagMeasuredAt = now;
    Map<String, Long> byTopic = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      long waiting =
          consumer.currentLag(tp).orElse(0)
              + pending.getOrDefault(tp, new ArrayDeque<>()).size()
              + (running.containsKey(tp) ? 1 : 0);
      byTopic.merge(tp.topic(), waiting, Long::sum);
    }
    byTopic.forEach(metrics::consumerLag);
  }

  private void dispatch() {
    Instant now = clock.instant();
    for (Map.Entry<TopicPartition, Deque<ConsumerRecord<String, byte[]>>> e : pending.entrySet()) {
      TopicPartition tp = e.getKey();
      Deque<ConsumerRecord<String, byte[]>> queue = e.getValue();
      if (running.containsKey(tp) || now.isBefore(notBefore.getOrDefault(tp, Instant.MIN))) {
        continue;
      }
      while (!queue.isEmpty() && !running.containsKey(tp)) {
        ConsumerRecord<String, byte[]> record = queue.poll();
        if (!handle(tp, record)) {
          queue.addFirst(record);
          break;
        }
      }
      if (queue.isEmpty() && !running.containsKey(tp)) {
        consumer.resume(List.of(tp));
      } else {
        consumer.pause(List.of(tp));
      }
    }
  }

  /** Admits or rejects one record; false when it must be tried again later. */
  private boolean handle(TopicPartition tp, ConsumerRecord<String, byte[]> record) {
    Verdict verdict = admission.admit(record.topic(), record.value());
    if (verdict instanceof Verdict.Admitted a) {
      running.put(
          tp,
          new InFlight(
              record,
              a,
              executor.submit(a.command(), a.json(), a.procedure(), a.target(), consumer::wakeup)));
      return true;
    }
    try {
      acks.add(new PendingAck(tp, record.offset(), reject(record, (Verdict.Rejected) verdict)));
      toCommit.put(tp, new OffsetAndMetadata(record.offset() + 1));
      return true;
    } catch (RuntimeException ex) {
      log.error(
          "cannot report the rejection of {}-{}@{}; retrying",
          record.topic(),
          record.partition(),
          record.offset(),
          ex);
      notBefore.put(tp, clock.instant().plus(RETRY_AFTER_ERROR));
      return false;
    }
  }

  private List<Future<RecordMetadata>> reject(
      ConsumerRecord<String, byte[]> record, Verdict.Rejected r) {
    RunReport report =
        RunReport.builder(r.operation(), workerId)
            .commandId(r.commandId())
            .error(r.error())
            .origin(
                new io.pgfleet.commands.result.Origin(
                    record.topic(), record.partition(), record.offset()))
            .build();
    ResultEvent event =
        ResultEvent.of(Outcome.REJECTED, workerId, r.subject(), clock.instant(), report);
    List<Future<RecordMetadata>> sends =
        List.of(
            results.deadLetterAsync(record, r.error(), workerId),
            results.publishAsync(r.subject(), results.encode(event)));
    metrics.deadLettered(r.error().code());
    log.warn(
        "rejected {}-{}@{} (command {}): {} {}",
        record.topic(),
        record.partition(),
        record.offset(),
        r.commandId(),
        r.error().code(),
        r.error().message());
    return sends;
  }

  private void collectFinished() {
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
        case DONE -> toCommit.put(tp, new OffsetAndMetadata(flight.record().offset() + 1));
        case REJECTED -> rejectAfterClaim(tp, flight);
        case REDELIVER -> requeue(tp, flight.record(), RETRY_AFTER_LEASE_LOSS);
        case ABANDONED -> {}
      }
    }
    orphans.removeIf(o -> o.handle().end().isDone());
  }

  /** A command the ledger refused (its id is another command's): reported like a rejection. */
  private void rejectAfterClaim(TopicPartition tp, InFlight flight) {
    ConsumerRecord<String, byte[]> record = flight.record();
    Verdict.Admitted admitted = flight.admitted();
    Verdict.Rejected r =
        new Verdict.Rejected(
            flight.handle().rejection(),
            admitted.command().id(),
            admitted.command().operation().wireName(),
            admitted.command().target());
    try {
      acks.add(new PendingAck(tp, record.offset(), reject(record, r)));
      toCommit.put(tp, new OffsetAndMetadata(record.offset() + 1));
    } catch (RuntimeException ex) {
      log.error("cannot report the rejection of {}; retrying", r.commandId(), ex);
      requeue(tp, record, RETRY_AFTER_ERROR);
    }
  }

  private RunEnd endOf(InFlight flight) {
    try {
      return flight.handle().end().get();
    } catch (ExecutionException e) {
      log.error(
          "run of {}-{}@{} failed before reaching a terminal state; will retry",
          flight.record().topic(),
          flight.record().partition(),
          flight.record().offset(),
          e.getCause());
      notBefore.put(partition(flight.record()), clock.instant().plus(RETRY_AFTER_ERROR));
      pending
          .computeIfAbsent(partition(flight.record()), k -> new ArrayDeque<>())
          .addFirst(flight.record());
      return RunEnd.ABANDONED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return RunEnd.ABANDONED;
    }
  }

  private void requeue(TopicPartition tp, ConsumerRecord<String, byte[]> record, Duration after) {
    pending.computeIfAbsent(tp, k -> new ArrayDeque<>()).addFirst(record);
    notBefore.put(tp, clock.instant().plus(after));
  }

  private void commit() {
    awaitAcks();
    if (toCommit.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(toCommit);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // Their commands are terminal in the ledger: a redelivery is reported as a duplicate.
      log.warn(
          "offset commit failed ({}); redelivered commands will be duplicates", e.getMessage());
    }
    toCommit.clear();
  }

  /**
   * Waits until Kafka has every rejection sent since the last commit. A partition with a send that
   * failed is not committed past it: the loop reads it again from there.
   */
  private void awaitAcks() {
    Map<TopicPartition, Long> failed = new HashMap<>();
    for (PendingAck ack : acks) {
      for (Future<RecordMetadata> send : ack.sends()) {
        try {
          ResultPublisher.awaitAck(send);
        } catch (RuntimeException e) {
          failed.merge(ack.partition(), ack.offset(), Math::min);
          log.error(
              "rejection of {}@{} not acknowledged: {}",
              ack.partition(),
              ack.offset(),
              e.getMessage());
        }
      }
    }
    acks.clear();
    failed.forEach(
        (tp, offset) -> {
          toCommit.remove(tp);
          pending.remove(tp);
          consumer.seek(tp, offset);
          notBefore.put(tp, clock.instant().plus(RETRY_AFTER_ERROR));
        });
  }

  /** Lets running commands finish within the grace period, then stops the rest. */
  private void drain() {
    consumer.pause(consumer.assignment());
    Instant deadline = clock.instant().plus(shutdownGrace);
    while ((!running.isEmpty() || !orphans.isEmpty()) && clock.instant().isBefore(deadline)) {
      try {
        consumer.poll(POLL);
      } catch (WakeupException ignored) {
        // stop() was called again; keep draining
      }
      collectFinished();
      commit();
    }
    running.values().forEach(f -> f.handle().cancel("worker shutting down"));
    orphans.forEach(f -> f.handle().cancel("worker shutting down"));
    try {
      executor.awaitIdle(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    collectFinished();
    commit();
  }

  private static TopicPartition partition(ConsumerRecord<?, ?> record) {
    return new TopicPartition(record.topic(), record.partition());
  }

  /** Forgets revoked partitions; a run still executing for one keeps its lease and finishes. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty() && !stopping) {
        rebalances.incrementAndGet();
      }
      collectFinished();
      commit();
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      rebalances.incrementAndGet();
      toCommit.keySet().removeAll(partitions);
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("assigned {}", partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        pending.remove(tp);
        notBefore.remove(tp);
        InFlight flight = running.remove(tp);
        if (flight != null) {
          orphans.add(flight);
        }
      }
    }
  }
}
