package io.pgfleet.worker.result;

import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.wire.Producers;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.worker.storage.ArtifactStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's transactional producer: terminal results, rejections and DLQ copies go to Kafka in
 * one transaction with the offsets of the command records they settle. The offsets are sent with
 * the consumer group's metadata, so a worker whose partitions moved (a zombie of an older group
 * generation) cannot commit them, and its results are aborted with them. Used by the consumer
 * thread only.
 */
public final class ResultTransactions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultTransactions.class);

  private final Supplier<Producer<byte[], byte[]>> connect;
  private final Topics topics;
  private final ArtifactStore store;
  private final int maxRecordBytes;
  private Producer<byte[], byte[]> producer;
  private DeadLetters deadLetters;

  public ResultTransactions(
      Supplier<Producer<byte[], byte[]>> connect,
      Topics topics,
      ArtifactStore store,
      int maxRecordBytes) {
    this.connect = connect;
    this.topics = topics;
    this.store = store;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * @param transactionalId stable per worker: a restarted worker fences its previous incarnation
   */
  public static ResultTransactions connect(
      String bootstrapServers,
      Topics topics,
      Map<String, String> kafkaProperties,
      ArtifactStore store,
      String transactionalId) {
    return new ResultTransactions(
        () -> Producers.transactionalBytes(bootstrapServers, kafkaProperties, transactionalId),
        topics,
        store,
        Producers.maxRequestSize(kafkaProperties));
  }

  /** Begins a transaction, first creating the producer (it fences older ones of its id). */
  public void begin() {
    if (producer == null) {
      Producer<byte[], byte[]> created = connect.get();
      try {
        created.initTransactions();
      } catch (RuntimeException e) {
        created.close(Duration.ZERO);
        throw e;
      }
      producer = created;
      deadLetters = new DeadLetters(producer, topics.dlq(), store, maxRecordBytes);
    }
    producer.beginTransaction();
  }

  /** An encoded result event, in the open transaction. */
  public Future<RecordMetadata> send(String target, byte[] encodedEvent) {
    return producer.send(ResultPublisher.record(topics.results(), target, encodedEvent));
  }

  /** A DLQ copy of a record that will not run, in the open transaction: see {@link DeadLetters}. */
  public Future<RecordMetadata> deadLetter(
      ConsumerRecord<byte[], byte[]> record, RunError reason, String worker) {
    return deadLetters.send(record, reason, worker);
  }

  /** {@link #deadLetter}, kept whole in S3 whatever its size: after Kafka refused the copy. */
  public Future<RecordMetadata> deadLetterStored(
      ConsumerRecord<byte[], byte[]> record, RunError reason, String worker) {
    return deadLetters.sendStored(record, reason, worker);
  }

  /**
   * Adds the offsets, fenced by the group's generation, and commits everything sent since begin.
   */
  public void commit(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    if (!offsets.isEmpty()) {
      producer.sendOffsetsToTransaction(offsets, groupMetadata);
    }
    producer.commitTransaction();
  }

  /**
   * Aborts the open transaction. A producer that cannot abort (fenced, or its commit's outcome
   * unknown) is closed; the next {@link #begin} creates another, whose initialization settles the
   * old transaction either way.
   */
  public void abort() {
    if (producer == null) {
      return;
    }
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      log.warn("cannot abort the results transaction ({}); reconnecting", e.toString());
      close();
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } finally {
        producer = null;
        deadLetters = null;
      }
    }
  }
}
