package io.pgfleet.dispatcher.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** One command and what the fleet reported about it; {@code events} only in a run's detail. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Run(
    String commandId,
    String target,
    String operation,
    String source,
    String status,
    JsonNode params,
    Instant requestedAt,
    Instant publishedAt,
    Instant expiresAt,
    Integer attempt,
    String worker,
    Instant startedAt,
    Instant finishedAt,
    JsonNode progress,
    JsonNode error,
    JsonNode artifacts,
    JsonNode statistics,
    JsonNode findings,
    List<RunEvent> events) {

  public Run withEvents(List<RunEvent> value) {
    return new Run(
        commandId,
        target,
        operation,
        source,
        status,
        params,
        requestedAt,
        publishedAt,
        expiresAt,
        attempt,
        worker,
        startedAt,
        finishedAt,
        progress,
        error,
        artifacts,
        statistics,
        findings,
        value);
  }

  /** One result event of a run. */
  public record RunEvent(String id, String outcome, Instant time, JsonNode data) {}
}
