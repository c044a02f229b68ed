package io.pgfleet.worker.result;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Printable;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.wire.Headers;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.storage.ArtifactStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;

/**
 * Copies command records that cannot be executed to the DLQ topic: key and value byte for byte, the
 * producer's headers except any {@code pgfleet.dlq.*} (those are the worker's alone), then the
 * worker's reason and origin. A copy that would not fit a Kafka record is kept whole in S3 as JSON
 * (key, headers and value in base64) and the DLQ record carries its location, size and sha256.
 */
final class DeadLetters {
  /** Room left for Kafka's own framing of the record and its batch. */
  private static final int FRAMING = 4096;

  private static final int MAX_REASON = 1000;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final ArtifactStore store;
  private final int maxRecordBytes;

  DeadLetters(
      Producer<byte[], byte[]> producer, String topic, ArtifactStore store, int maxRecordBytes) {
    this.producer = producer;
    this.topic = topic;
    this.store = store;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The copy, or its S3 stand-in when the copy would exceed the producer's record size. */
  Future<RecordMetadata> send(
      ConsumerRecord<byte[], byte[]> record, RunError reason, String worker) {
    ProducerRecord<byte[], byte[]> copy =
        new ProducerRecord<>(topic, null, record.key(), record.value());
    for (Header header : record.headers()) {
      if (!header.key().startsWith(Headers.DLQ_PREFIX)) {
        copy.headers().add(header);
      }
    }
    addReason(copy, record, reason, worker);
    if (size(copy) > maxRecordBytes - FRAMING) {
      return sendStored(record, reason, worker);
    }
    return producer.send(copy);
  }

  /** Keeps the whole record in S3 and sends a DLQ record that points to it. */
  Future<RecordMetadata> sendStored(
      ConsumerRecord<byte[], byte[]> record, RunError reason, String worker) {
    byte[] archive = archive(record);
    String key = storeKey(record);
    store.put(key, archive, "application/json");
    byte[] dlqKey =
        record.key() != null && record.key().length <= maxRecordBytes / 4 ? record.key() : null;
    ProducerRecord<byte[], byte[]> pointer = new ProducerRecord<>(topic, null, dlqKey, null);
    addReason(pointer, record, reason, worker);
    pointer
        .headers()
        .add(Headers.DLQ_STORED_URI, bytes(store.uri(key)))
        .add(Headers.DLQ_STORED_BYTES, bytes(String.valueOf(archive.length)))
        .add(Headers.DLQ_STORED_SHA256, bytes(sha256(archive)));
    return producer.send(pointer);
  }

  private static void addReason(
      ProducerRecord<byte[], byte[]> copy,
      ConsumerRecord<byte[], byte[]> record,
      RunError reason,
      String worker) {
    copy.headers()
        .add(Headers.DLQ_REASON_CODE, bytes(reason.code()))
        .add(Headers.DLQ_REASON_MESSAGE, bytes(Printable.cut(reason.message(), MAX_REASON)))
        .add(Headers.DLQ_ORIGIN_TOPIC, bytes(record.topic()))
        .add(Headers.DLQ_ORIGIN_PARTITION, bytes(String.valueOf(record.partition())))
        .add(Headers.DLQ_ORIGIN_OFFSET, bytes(String.valueOf(record.offset())))
        .add(Headers.DLQ_WORKER, bytes(worker));
  }

  /** An upper bound of the record's size on the wire, framing aside. */
  private static long size(ProducerRecord<byte[], byte[]> r) {
    long size = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
    for (Header h : r.headers()) {
      size += bytes(h.key()).length + (h.value() == null ? 0 : h.value().length) + 10;
    }
    return size + 32;
  }

  private String storeKey(ConsumerRecord<?, ?> record) {
    String prefix = store.keys().prefix();
    // Target names cannot start with '_': this never meets a target's own keys.
    return (prefix.isEmpty() ? "" : prefix + "/")
        + "_dead-letters/"
        + record.topic()
        + "/"
        + record.partition()
        + "-"
        + record.offset()
        + ".json";
  }

  private static byte[] archive(ConsumerRecord<byte[], byte[]> record) {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("topic", record.topic());
    json.put("partition", record.partition());
    json.put("offset", record.offset());
    json.put("timestamp", record.timestamp());
    json.put("key", record.key() == null ? null : b64.encodeToString(record.key()));
    ArrayNode headers = json.putArray("headers");
    for (Header h : record.headers()) {
      headers
          .addObject()
          .put("key", h.key())
          .put("value", h.value() == null ? null : b64.encodeToString(h.value()));
    }
    json.put("value", record.value() == null ? null : b64.encodeToString(record.value()));
    json.put("valueBytes", record.value() == null ? 0 : record.value().length);
    json.put("valueSha256", record.value() == null ? null : sha256(record.value()));
    try {
      return Json.mapper().writeValueAsBytes(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a dead letter", e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
