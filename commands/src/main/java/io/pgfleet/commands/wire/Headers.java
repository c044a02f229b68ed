package io.pgfleet.commands.wire;

/** Kafka record headers pgfleet reads and writes. */
public final class Headers {
  /** CloudEvents structured mode over Kafka. */
  public static final String CONTENT_TYPE = "content-type";

  public static final String DLQ_REASON_CODE = "pgfleet.dlq.reason.code";
  public static final String DLQ_REASON_MESSAGE = "pgfleet.dlq.reason.message";
  public static final String DLQ_ORIGIN_TOPIC = "pgfleet.dlq.origin.topic";
  public static final String DLQ_ORIGIN_PARTITION = "pgfleet.dlq.origin.partition";
  public static final String DLQ_ORIGIN_OFFSET = "pgfleet.dlq.origin.offset";
  public static final String DLQ_WORKER = "pgfleet.dlq.worker";

  private Headers() {}
}
