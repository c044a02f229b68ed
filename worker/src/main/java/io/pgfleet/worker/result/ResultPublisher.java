package io.pgfleet.worker.result;

import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.CommandCodec;
import io.pgfleet.commands.wire.Headers;
import io.pgfleet.commands.wire.Producers;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.commands.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes the events that do not end a run (started, progress) at once, outside any transaction;
 * the events that end one go with their offsets through {@link ResultTransactions}. Keys are
 * targets, so a target's events stay in order.
 */
public final class ResultPublisher implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final Topics topics;
  private final ResultCodec codec = new ResultCodec();

  public ResultPublisher(Producer<byte[], byte[]> producer, Topics topics) {
    this.producer = producer;
    this.topics = topics;
  }

  public static ResultPublisher connect(
      String bootstrapServers, Topics topics, Map<String, String> kafkaProperties) {
    return new ResultPublisher(
        Producers.idempotentBytes(bootstrapServers, kafkaProperties), topics);
  }

  public byte[] encode(ResultEvent event) {
    return codec.encode(event);
  }

  public ResultEvent decode(byte[] encodedEvent) {
    return codec.decode(encodedEvent);
  }

  /** Sends without waiting: for events that do not end a run (started, progress). */
  public Future<RecordMetadata> publish(ResultEvent event) {
    return producer.send(record(topics.results(), event.subject(), codec.encode(event)));
  }

  /** Waits for what was sent: a run's progress goes out before the event that ends it. */
  public void flush() {
    producer.flush();
  }

  static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, key == null ? null : bytes(key), value);
    record.headers().add(Headers.CONTENT_TYPE, bytes(CommandCodec.CONTENT_TYPE));
    return record;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close();
  }
}
