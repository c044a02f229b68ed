package io.pgfleet.dispatcher.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One row of the status page: how protected and how healthy a target is. {@code recoverableWindow}
 * is the window the newest base-backup or prune-backups run reported (start LSN and time, newest
 * reachable segment and when it was archived, the first gap), absent before one. {@code integrity}
 * is the newest successful check-integrity run's, absent before one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetStatus(
    String target,
    long rpoSeconds,
    Freshness backup,
    Freshness verifiedBackup,
    Fact vacuum,
    Health health,
    List<Run> running,
    JsonNode recoverableWindow,
    Integrity integrity) {

  /**
   * The newest of something that must stay fresh, its age and colour.
   *
   * @param at null when there never was one (then red)
   * @param lastFailureAt a failed attempt newer than {@code at}, which makes green amber
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Freshness(
      Instant at,
      Long ageSeconds,
      String status,
      String commandId,
      Instant lastFailureAt,
      String lastFailure) {}

  /** When something last happened. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Fact(Instant at, Long ageSeconds) {}

  /** The last health check's overall status and worst finding. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Health(Instant at, String status, JsonNode worstFinding) {}

  /**
   * The last check-integrity run: its overall status (critical when it found corruption; unknown
   * when, say, data checksums are off), the corrupt relations pg_amcheck reported in the tables it
   * covered, and its worst finding.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Integrity(
      Instant at, String status, Integer corruptRelations, JsonNode worstFinding) {}
}
