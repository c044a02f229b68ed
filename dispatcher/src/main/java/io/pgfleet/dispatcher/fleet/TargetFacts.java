package io.pgfleet.dispatcher.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.result.RunState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * What a finished run says about its target, by operation name: the one place that knows which
 * operation feeds which column of the status page. A fact only ever moves forward in time.
 */
final class TargetFacts {
  static final String BACKUP = "backup";
  static final String VACUUM = "vacuum";
  static final String HEALTH_CHECK = "health-check";
  static final String BASE_BACKUP = "base-backup";
  static final String PRUNE_BACKUPS = "prune-backups";
  static final String VERIFY_BACKUP = "verify-backup";
  static final String CHECK_INTEGRITY = "check-integrity";

  private static final String ROW =
      "INSERT INTO pgfleet.fleet_targets (target, updated_at) VALUES (?, now())"
          + " ON CONFLICT (target) DO NOTHING";
  private static final String BACKUP_SUCCEEDED =
      """
      UPDATE pgfleet.fleet_targets SET last_backup_at = ?, last_backup_command = ?, updated_at = now()
      WHERE target = ? AND (last_backup_at IS NULL OR last_backup_at < ?)
      """;
  private static final String BACKUP_FAILED =
      """
      UPDATE pgfleet.fleet_targets SET last_backup_failed_at = ?, last_backup_error = ?,
        updated_at = now()
      WHERE target = ? AND (last_backup_failed_at IS NULL OR last_backup_failed_at < ?)
      """;
  private static final String VACUUMED =
      """
      UPDATE pgfleet.fleet_targets SET last_vacuum_at = ?, updated_at = now()
      WHERE target = ? AND (last_vacuum_at IS NULL OR last_vacuum_at < ?)
      """;
  private static final String HEALTH =
      """
      UPDATE pgfleet.fleet_targets SET last_health_at = ?, health_status = ?,
        worst_finding = ?::jsonb, updated_at = now()
      WHERE target = ? AND (last_health_at IS NULL OR last_health_at < ?)
      """;

  private static final String INTEGRITY =
      """
      UPDATE pgfleet.fleet_targets SET last_integrity_at = ?, integrity_status = ?,
        integrity_corrupt_relations = ?, integrity_worst_finding = ?::jsonb, updated_at = now()
      WHERE target = ? AND (last_integrity_at IS NULL OR last_integrity_at < ?)
      """;

  /** The newest backup a drill proved restorable: its finish time, as the drill's result says. */
  private static final String VERIFIED =
      """
      UPDATE pgfleet.fleet_targets SET last_verified_at = ?, updated_at = now()
      WHERE target = ? AND (last_verified_at IS NULL OR last_verified_at < ?)
      """;

  private static final String WINDOW =
      """
      UPDATE pgfleet.fleet_targets SET recoverable_window = ?::jsonb, recoverable_window_at = ?,
        updated_at = now()
      WHERE target = ? AND (recoverable_window_at IS NULL OR recoverable_window_at < ?)
      """;

  private TargetFacts() {}

  static void record(
      Connection c,
      String target,
      String operation,
      RunState status,
      String commandId,
      Instant finished,
      JsonNode data)
      throws SQLException {
    Timestamp at = Timestamp.from(finished);
    boolean succeeded = status == RunState.SUCCEEDED;
    switch (operation) {
      case BACKUP -> {
        Projection.execute(c, ROW, target);
        if (succeeded) {
          Projection.execute(c, BACKUP_SUCCEEDED, at, commandId, target, at);
        } else if (status == RunState.FAILED) {
          String error = data.path("error").path("code").asText("FAILED");
          Projection.execute(c, BACKUP_FAILED, at, error, target, at);
        }
      }
      case VACUUM -> {
        if (succeeded) {
          Projection.execute(c, ROW, target);
          Projection.execute(c, VACUUMED, at, target, at);
        }
      }
      case HEALTH_CHECK -> {
        if (succeeded) {
          HealthSummary health = HealthSummary.of(data);
          String worst = health.worstFinding() == null ? null : health.worstFinding().toString();
          Projection.execute(c, ROW, target);
          Projection.execute(c, HEALTH, at, health.status(), worst, target, at);
        }
      }
      case CHECK_INTEGRITY -> {
        if (succeeded) {
          HealthSummary integrity = HealthSummary.of(data);
          JsonNode worst = integrity.worstFinding();
          JsonNode corrupt = data.path("statistics").path("corruptRelations");
          Projection.execute(c, ROW, target);
          Projection.execute(
              c,
              INTEGRITY,
              at,
              integrity.status(),
              corrupt.isNumber() ? corrupt.asInt() : null,
              worst == null ? null : worst.toString(),
              target,
              at);
        }
      }
      case VERIFY_BACKUP -> {
        JsonNode backupFinished = data.path("statistics").path("backupFinishedAt");
        if (succeeded && backupFinished.isTextual()) {
          Timestamp backupAt = Timestamp.from(Instant.parse(backupFinished.asText()));
          Projection.execute(c, ROW, target);
          Projection.execute(c, VERIFIED, backupAt, target, backupAt);
        }
      }
      case BASE_BACKUP, PRUNE_BACKUPS -> {
        JsonNode window = data.path("statistics").path("recoverableWindow");
        if (succeeded && window.isObject()) {
          Projection.execute(c, ROW, target);
          Projection.execute(c, WINDOW, window.toString(), at, target, at);
        }
      }
      default -> {
        // other operations do not change what the status page shows per target
      }
    }
  }
}
