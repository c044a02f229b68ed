package io.pgfleet.commands.wire;

import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A command as it arrives on Kafka: the record's value, its headers (which carry the attributes in
 * binary mode) and when it was received, which stands in for a command without {@code time}.
 */
public record CommandRecord(
    byte[] value, org.apache.kafka.common.header.Headers headers, Instant receivedAt) {

  /** Received at the record's Kafka timestamp, or at the worker's clock when it has none. */
  public static CommandRecord of(ConsumerRecord<byte[], byte[]> record, Clock clock) {
    Instant at =
        record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : clock.instant();
    return new CommandRecord(record.value(), record.headers(), at);
  }

  /** A structured-mode command with no headers, received now. */
  public static CommandRecord structured(byte[] value) {
    return new CommandRecord(value, new RecordHeaders(), Instant.now());
  }
}
