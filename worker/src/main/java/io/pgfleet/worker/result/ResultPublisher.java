package io.pgfleet.worker.result;

import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.wire.CommandCodec;
import io.pgfleet.commands.wire.Headers;
import io.pgfleet.commands.wire.Producers;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.worker.storage.ArtifactStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes result events and dead letters. Keys are targets, so a target's events stay in order.
 */
public final class ResultPublisher implements AutoCloseable {
  private static final long ACK_TIMEOUT_SECONDS = 60;

  private final Producer<byte[], byte[]> producer;
  private final Topics topics;
  private final DeadLetters deadLetters;
  private final ResultCodec codec = new ResultCodec();

  public ResultPublisher(
      Producer<byte[], byte[]> producer, Topics topics, ArtifactStore store, int maxRecordBytes) {
    this.producer = producer;
    this.topics = topics;
    this.deadLetters = new DeadLetters(producer, topics.dlq(), store, maxRecordBytes);
  }

  /**
   * @param store where a DLQ copy too large for a Kafka record is kept
   */
  public static ResultPublisher connect(
      String bootstrapServers,
      Topics topics,
      Map<String, String> kafkaProperties,
      ArtifactStore store) {
    return new ResultPublisher(
        Producers.idempotentBytes(bootstrapServers, kafkaProperties),
        topics,
        store,
        Producers.maxRequestSize(kafkaProperties));
  }

  public byte[] encode(ResultEvent event) {
    return codec.encode(event);
  }

  /** Sends without waiting: for events that do not end a run (started, progress). */
  public Future<RecordMetadata> publish(ResultEvent event) {
    return send(event.subject(), codec.encode(event));
  }

  /** Sends an encoded event and waits until Kafka has it: for the event that ends a run. */
  public void publishAndWait(String target, byte[] encodedEvent) {
    await(send(target, encodedEvent));
  }

  /**
   * Copies a command record that cannot be executed to the DLQ without waiting (the caller waits
   * before it commits the offset): see {@link DeadLetters}.
   */
  public Future<RecordMetadata> deadLetterAsync(
      ConsumerRecord<byte[], byte[]> record, RunError reason, String worker) {
    return deadLetters.send(record, reason, worker);
  }

  /** {@link #deadLetterAsync}, kept whole in S3 whatever its size: after Kafka refused the copy. */
  public Future<RecordMetadata> deadLetterStoredAsync(
      ConsumerRecord<byte[], byte[]> record, RunError reason, String worker) {
    return deadLetters.sendStored(record, reason, worker);
  }

  /** Sends an encoded event without waiting. */
  public Future<RecordMetadata> publishAsync(String target, byte[] encodedEvent) {
    return send(target, encodedEvent);
  }

  /** Waits until Kafka acknowledged a send. */
  public static void awaitAck(Future<RecordMetadata> sent) {
    await(sent);
  }

  private Future<RecordMetadata> send(String key, byte[] value) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topics.results(), key == null ? null : bytes(key), value);
    record.headers().add(Headers.CONTENT_TYPE, bytes(CommandCodec.CONTENT_TYPE));
    return producer.send(record);
  }

  private static void await(Future<RecordMetadata> sent) {
    try {
      sent.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResultNotPublishedException("interrupted while publishing", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new ResultNotPublishedException("Kafka did not acknowledge: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
