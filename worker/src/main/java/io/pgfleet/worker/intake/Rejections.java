package io.pgfleet.worker.intake;

import io.pgfleet.commands.result.Origin;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.result.ResultPublisher;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports records that will not run: one run.rejected event and one DLQ copy per record, settled
 * with the record's offset in one transaction. A DLQ copy Kafka refuses as too large is kept in S3
 * instead.
 */
final class Rejections {
  private static final Logger log = LoggerFactory.getLogger(Rejections.class);

  private final ResultPublisher codec;
  private final Settlement settlement;
  private final WorkerMetrics metrics;
  private final String workerId;
  private final Clock clock;

  Rejections(
      ResultPublisher codec,
      Settlement settlement,
      WorkerMetrics metrics,
      String workerId,
      Clock clock) {
    this.codec = codec;
    this.settlement = settlement;
    this.metrics = metrics;
    this.workerId = workerId;
    this.clock = clock;
  }

  /** Settles one record as rejected: its DLQ copy and its run.rejected event. */
  void reject(TopicPartition tp, ConsumerRecord<byte[], byte[]> record, Verdict.Rejected r) {
    RunReport report =
        RunReport.builder(r.operation(), workerId)
            .commandId(r.commandId())
            .error(r.error())
            .origin(new Origin(record.topic(), record.partition(), record.offset()))
            .build();
    byte[] event =
        codec.encode(
            ResultEvent.of(Outcome.REJECTED, workerId, r.subject(), clock.instant(), report));
    Send copy =
        Send.orIfTooLarge(
            tx -> tx.deadLetter(record, r.error(), workerId),
            tx -> tx.deadLetterStored(record, r.error(), workerId));
    Send result = Send.of(tx -> tx.send(r.subject(), event));
    settlement.add(new Settled(tp, record.offset(), List.of(copy, result), List.of(), null));
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
}
