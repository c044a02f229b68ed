package io.pgfleet.commands.wire;

/** Kafka record headers pgfleet reads and writes. */
public final class Headers {
  /** Structured mode (application/cloudevents+json) or binary mode (ce_ headers): it decides. */
  public static final String CONTENT_TYPE = "content-type";

  public static final String DLQ_REASON_CODE = "pgfleet.dlq.reason.code";
  public static final String DLQ_REASON_MESSAGE = "pgfleet.dlq.reason.message";
  public static final String DLQ_ORIGIN_TOPIC = "pgfleet.dlq.origin.topic";
  public static final String DLQ_ORIGIN_PARTITION = "pgfleet.dlq.origin.partition";
  public static final String DLQ_ORIGIN_OFFSET = "pgfleet.dlq.origin.offset";
  public static final String DLQ_WORKER = "pgfleet.dlq.worker";

  /** Every header the worker writes on a DLQ copy starts so; a producer's own are dropped. */
  public static final String DLQ_PREFIX = "pgfleet.dlq.";

  /** A copy too large for the DLQ topic is kept whole in S3: where, how many bytes, its sha256. */
  public static final String DLQ_STORED_URI = "pgfleet.dlq.stored.uri";

  public static final String DLQ_STORED_BYTES = "pgfleet.dlq.stored.bytes";
  public static final String DLQ_STORED_SHA256 = "pgfleet.dlq.stored.sha256";

  private Headers() {}
}
