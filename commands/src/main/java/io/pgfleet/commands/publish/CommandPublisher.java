package io.pgfleet.commands.publish;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.wire.CommandCodec;
import io.pgfleet.commands.wire.Headers;
import io.pgfleet.commands.wire.Producers;
import io.pgfleet.commands.wire.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends commands to the fleet: for services that publish maintenance requests, the CLI and the
 * dispatcher. The record key is the target; the value is the command as a CloudEvent.
 *
 * <pre>{@code
 * try (var publisher = CommandPublisher.connect("kafka:9092", Map.of())) {
 *   publisher.publish(Commands.backup("order_db").build()).join();
 * }
 * }</pre>
 */
public final class CommandPublisher implements AutoCloseable {
  private final Producer<String, byte[]> producer;
  private final Topics topics;
  private final CommandCodec codec = new CommandCodec();

  public CommandPublisher(Producer<String, byte[]> producer, Topics topics) {
    this.producer = producer;
    this.topics = topics;
  }

  /**
   * A publisher with an idempotent producer ({@code acks=all}).
   *
   * @param kafkaProperties extra client settings (security, timeouts); they win over defaults
   */
  public static CommandPublisher connect(
      String bootstrapServers, Topics topics, Map<String, String> kafkaProperties) {
    return new CommandPublisher(Producers.idempotent(bootstrapServers, kafkaProperties), topics);
  }

  public static CommandPublisher connect(String bootstrapServers, Map<String, String> props) {
    return connect(bootstrapServers, Topics.defaults(), props);
  }

  public CompletableFuture<RecordMetadata> publish(Command command) {
    return send(command, codec.encode(command));
  }

  /** Publishes the command signed, for workers that require a signature for it. */
  public CompletableFuture<RecordMetadata> publish(Command command, CommandSigner signer) {
    return send(command, signer.encode(command, topics));
  }

  private CompletableFuture<RecordMetadata> send(Command command, byte[] value) {
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(topics.commands(command.target()), command.target(), value);
    record
        .headers()
        .add(Headers.CONTENT_TYPE, CommandCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null) {
            sent.completeExceptionally(error);
          } else {
            sent.complete(metadata);
          }
        });
    return sent;
  }

  /**
   * Waits until the producer knows the target's command topic (its partitions and leader), fetching
   * its metadata if needed; a send to a topic it does not know yet waits for that first. Calls for
   * many targets from several threads at once share metadata requests.
   */
  public void awaitMetadata(String target) {
    producer.partitionsFor(topics.commands(target));
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close();
  }
}
