package io.pgfleet.commands.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code data} of a result event. Which fields are present depends on the outcome; {@code
 * results/<outcome>.schema.json} says which are required.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunReport(
    String commandId,
    String operation,
    Integer attempt,
    String worker,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    List<Artifact> artifacts,
    Map<String, Object> statistics,
    List<Finding> findings,
    Progress progress,
    RunError error,
    Instant expiresAt,
    Original original,
    Origin origin) {

  public static Builder builder(String operation, String worker) {
    return new Builder(operation, worker);
  }

  /** Fluent construction, since most fields are absent for most outcomes. */
  public static final class Builder {
    private final String operation;
    private final String worker;
    private String commandId;
    private Integer attempt;
    private Instant startedAt;
    private Instant finishedAt;
    private List<Artifact> artifacts;
    private Map<String, Object> statistics;
    private List<Finding> findings;
    private Progress progress;
    private RunError error;
    private Instant expiresAt;
    private Original original;
    private Origin origin;

    private Builder(String operation, String worker) {
      this.operation = operation;
      this.worker = worker;
    }

    public Builder commandId(String value) {
      commandId = value;
      return this;
    }

    public Builder attempt(int value) {
      attempt = value;
      return this;
    }

    public Builder startedAt(Instant value) {
      startedAt = value;
      return this;
    }

    public Builder finishedAt(Instant value) {
      finishedAt = value;
      return this;
    }

    public Builder artifacts(List<Artifact> value) {
      artifacts = List.copyOf(value);
      return this;
    }

    public Builder statistics(Map<String, Object> value) {
      statistics = Map.copyOf(value);
      return this;
    }

    /** Health-check findings; left out of the report when empty. */
    public Builder findings(List<Finding> value) {
      findings = value == null || value.isEmpty() ? null : List.copyOf(value);
      return this;
    }

    public Builder progress(Progress value) {
      progress = value;
      return this;
    }

    public Builder error(RunError value) {
      error = value;
      return this;
    }

    public Builder expiresAt(Instant value) {
      expiresAt = value;
      return this;
    }

    public Builder original(Original value) {
      original = value;
      return this;
    }

    public Builder origin(Origin value) {
      origin = value;
      return this;
    }

    public RunReport build() {
      Long durationMs =
          startedAt != null && finishedAt != null
              ? Math.max(0, finishedAt.toEpochMilli() - startedAt.toEpochMilli())
              : null;
      return new RunReport(
          commandId,
          operation,
          attempt,
          worker,
          startedAt,
          finishedAt,
          durationMs,
          artifacts,
          statistics,
          findings,
          progress,
          error,
          expiresAt,
          original,
          origin);
    }
  }
}
