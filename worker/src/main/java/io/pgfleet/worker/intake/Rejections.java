package io.pgfleet.worker.intake;

import io.pgfleet.commands.result.Origin;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.result.ResultPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports records that will not run: one run.rejected event and one DLQ copy per record. A send
 * that fails is sent again on its own (never the whole rejection), and a DLQ copy Kafka refuses as
 * too large is kept in S3 instead; until both are on Kafka the record's offset is not committed.
 */
final class Rejections {
  private static final Logger log = LoggerFactory.getLogger(Rejections.class);

  private final ResultPublisher results;
  private final WorkerMetrics metrics;
  private final String workerId;
  private final Clock clock;
  private final Duration retryAfter;
  private final List<Pending> pending = new ArrayList<>();

  Rejections(
      ResultPublisher results,
      WorkerMetrics metrics,
      String workerId,
      Clock clock,
      Duration retryAfter) {
    this.results = results;
    this.metrics = metrics;
    this.workerId = workerId;
    this.clock = clock;
    this.retryAfter = retryAfter;
  }

  /** One send that must reach Kafka, sent again when it failed. */
  private static final class Delivery {
    private Supplier<Future<RecordMetadata>> send;
    private Supplier<Future<RecordMetadata>> onTooLarge;
    private Future<RecordMetadata> sent;
    private boolean done;

    Delivery(Supplier<Future<RecordMetadata>> send) {
      this.send = send;
      this.sent = start(send);
    }

    /** Waits for the send; false when it failed (it is then sent again at the next retry). */
    boolean settle() {
      if (done) {
        return true;
      }
      if (sent == null) {
        return false;
      }
      try {
        ResultPublisher.awaitAck(sent);
        done = true;
      } catch (RuntimeException e) {
        sent = null;
        if (onTooLarge != null && causedBy(e, RecordTooLargeException.class)) {
          log.warn("the DLQ copy is too large for Kafka; keeping it in S3");
          send = onTooLarge;
          onTooLarge = null;
          sent = start(send);
          return settle();
        }
        log.error("send not acknowledged: {}", e.getMessage());
      }
      return done;
    }

    void retry() {
      if (!done && sent == null) {
        sent = start(send);
      }
    }

    private static Future<RecordMetadata> start(Supplier<Future<RecordMetadata>> send) {
      try {
        return send.get();
      } catch (RuntimeException e) {
        log.error("cannot send: {}", e.getMessage());
        return null;
      }
    }
  }

  /** A rejected record whose sends are not all on Kafka yet. */
  private static final class Pending {
    private final TopicPartition partition;
    private final long offset;
    private final List<Delivery> deliveries;
    private Instant retryAt = Instant.MIN;

    Pending(TopicPartition partition, long offset, List<Delivery> deliveries) {
      this.partition = partition;
      this.offset = offset;
      this.deliveries = deliveries;
    }
  }

  /** Sends the rejection of one record: its DLQ copy and its run.rejected event. */
  void reject(TopicPartition tp, ConsumerRecord<byte[], byte[]> record, Verdict.Rejected r) {
    RunReport report =
        RunReport.builder(r.operation(), workerId)
            .commandId(r.commandId())
            .error(r.error())
            .origin(new Origin(record.topic(), record.partition(), record.offset()))
            .build();
    byte[] event =
        results.encode(
            ResultEvent.of(Outcome.REJECTED, workerId, r.subject(), clock.instant(), report));
    Delivery copy = new Delivery(() -> results.deadLetterAsync(record, r.error(), workerId));
    copy.onTooLarge = () -> results.deadLetterStoredAsync(record, r.error(), workerId);
    Delivery result = new Delivery(() -> results.publishAsync(r.subject(), event));
    pending.add(new Pending(tp, record.offset(), List.of(copy, result)));
    metrics.deadLettered(r.error().code());
    log.warn(
        "rejected {}-{}@{} (command {}): {} {}",
        record.topic(),
        record.partition(),
        record.offset(),
        r.commandId(),
        r.error().code(),
        r.error().message());
  }

  /**
   * Waits for what was sent, sends again what failed and is due; returns, per partition, the lowest
   * offset whose rejection is not yet on Kafka (its offset must not be committed past it).
   */
  Map<TopicPartition, Long> settle() {
    Map<TopicPartition, Long> unsettled = new HashMap<>();
    Instant now = clock.instant();
    Iterator<Pending> it = pending.iterator();
    while (it.hasNext()) {
      Pending p = it.next();
      if (now.isAfter(p.retryAt)) {
        p.deliveries.forEach(Delivery::retry);
      }
      boolean all = true;
      for (Delivery d : p.deliveries) {
        all &= d.settle();
      }
      if (all) {
        it.remove();
      } else {
        p.retryAt = now.plus(retryAfter);
        unsettled.merge(p.partition, p.offset, Math::min);
      }
    }
    return unsettled;
  }

  /** Partitions taken from this worker: their new owner reads them from the committed offset. */
  void forget(Collection<TopicPartition> partitions) {
    pending.removeIf(p -> partitions.contains(p.partition));
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
