package io.pgfleet.commands.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One check of a health check: how it went, what was measured, against which thresholds.
 *
 * @param check the check's name, e.g. {@code connections}
 * @param value the measured value in {@code unit} (the worst one where several were measured);
 *     absent when nothing could be measured
 * @param unit {@code percent}, {@code seconds}, {@code bytes} or {@code count}
 * @param thresholds where warning and critical begin, in {@code unit}
 * @param message a sentence saying what was found and, where something is wrong, what to do
 * @param items the objects behind the status (sessions, tables, indexes...), at most a few dozen
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(
    String check,
    Status status,
    Number value,
    String unit,
    Thresholds thresholds,
    String message,
    List<Map<String, Object>> items) {

  public Finding {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    items = items == null || items.isEmpty() ? null : List.copyOf(items);
  }

  /** ok, warning or critical; unknown when the check could not run (and says why). */
  public enum Status {
    @JsonProperty("ok")
    OK,
    @JsonProperty("warning")
    WARNING,
    @JsonProperty("critical")
    CRITICAL,
    @JsonProperty("unknown")
    UNKNOWN;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The more severe of two statuses; unknown ranks below warning. */
    public Status worst(Status other) {
      return rank() >= other.rank() ? this : other;
    }

    private int rank() {
      return switch (this) {
        case OK -> 0;
        case UNKNOWN -> 1;
        case WARNING -> 2;
        case CRITICAL -> 3;
      };
    }
  }

  /** Where a level begins: a value at or above it has that status. Null: the level is off. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Thresholds(Number warning, Number critical) {}
}
