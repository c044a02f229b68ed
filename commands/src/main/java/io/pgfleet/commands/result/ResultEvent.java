package io.pgfleet.commands.result;

import java.time.Instant;
import java.util.UUID;

/**
 * A result event: the CloudEvents attributes plus the run report.
 *
 * @param source the worker, {@code urn:pgfleet:worker:<id>}
 * @param subject the target
 */
public record ResultEvent(
    String id, String source, Outcome outcome, String subject, Instant time, RunReport data) {

  public static ResultEvent of(
      Outcome outcome, String workerId, String subject, Instant time, RunReport data) {
    return new ResultEvent(
        UUID.randomUUID().toString(),
        "urn:pgfleet:worker:" + workerId,
        outcome,
        subject,
        time,
        data);
  }
}
