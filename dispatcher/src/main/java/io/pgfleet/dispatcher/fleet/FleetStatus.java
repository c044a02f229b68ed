package io.pgfleet.dispatcher.fleet;

import io.pgfleet.dispatcher.fleet.TargetPolicy.Freshness;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The status of every target, from the projection of the result events (a verified backup is one a
 * succeeded restore drill reported), aged against the dispatcher's clock.
 */
public final class FleetStatus {
  private static final String FACTS =
      """
      SELECT t.target, t.last_backup_at, t.last_backup_command, t.last_backup_failed_at,
             t.last_backup_error, t.last_vacuum_at, t.last_health_at, t.health_status,
             t.worst_finding, t.recoverable_window, t.last_verified_at, t.last_integrity_at,
             t.integrity_status, t.integrity_corrupt_relations, t.integrity_worst_finding
      FROM pgfleet.fleet_targets t
      """;

  private final DataSource dataSource;
  private final TargetDirectory directory;
  private final RunStore runs;
  private final Clock clock;

  public FleetStatus(DataSource dataSource, TargetDirectory directory, RunStore runs, Clock clock) {
    this.dataSource = dataSource;
    this.directory = directory;
    this.runs = runs;
    this.clock = clock;
  }

  public List<TargetStatus> targets() {
    Instant now = clock.instant();
    Map<String, Row> rows = rows();
    Map<String, List<Run>> running = new HashMap<>();
    for (Run run : runs.running()) {
      running.computeIfAbsent(run.target(), t -> new ArrayList<>()).add(run);
    }
    List<TargetStatus> out = new ArrayList<>();
    for (String target : directory.names()) {
      Row row = rows.getOrDefault(target, Row.EMPTY);
      TargetPolicy policy = directory.policy(target);
      out.add(
          new TargetStatus(
              target,
              policy.rpo().toSeconds(),
              backup(row, policy, now),
              freshness(row.lastVerifiedAt, policy.verifiedRpo(), policy, now, null, null, null),
              row.lastVacuumAt == null
                  ? null
                  : new TargetStatus.Fact(row.lastVacuumAt, age(row.lastVacuumAt, now)),
              row.lastHealthAt == null
                  ? null
                  : new TargetStatus.Health(
                      row.lastHealthAt, row.healthStatus, RunStore.json(row.worstFinding)),
              running.getOrDefault(target, List.of()),
              RunStore.json(row.recoverableWindow),
              row.integrity));
    }
    return out;
  }

  private static TargetStatus.Freshness backup(Row row, TargetPolicy policy, Instant now) {
    boolean failedSince =
        row.lastBackupFailedAt != null
            && (row.lastBackupAt == null || row.lastBackupFailedAt.isAfter(row.lastBackupAt));
    return freshness(
        row.lastBackupAt,
        policy.rpo(),
        policy,
        now,
        row.lastBackupCommand,
        failedSince ? row.lastBackupFailedAt : null,
        failedSince ? row.lastBackupError : null);
  }

  private static TargetStatus.Freshness freshness(
      Instant at,
      Duration limit,
      TargetPolicy policy,
      Instant now,
      String command,
      Instant failedAt,
      String failure) {
    Duration age = at == null ? null : Duration.between(at, now);
    Freshness colour = policy.freshness(age, limit);
    if (colour == Freshness.GREEN && failedAt != null) {
      colour = Freshness.AMBER;
    }
    return new TargetStatus.Freshness(
        at,
        age == null ? null : Math.max(0, age.toSeconds()),
        colour.cssName(),
        command,
        failedAt,
        failure);
  }

  private static Long age(Instant at, Instant now) {
    return Math.max(0, Duration.between(at, now).toSeconds());
  }

  private Map<String, Row> rows() {
    Map<String, Row> rows = new HashMap<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(FACTS);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString("target"), Row.of(rs));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new FleetStoreException("cannot read the fleet's status", e);
    }
  }

  private record Row(
      Instant lastBackupAt,
      String lastBackupCommand,
      Instant lastBackupFailedAt,
      String lastBackupError,
      Instant lastVacuumAt,
      Instant lastHealthAt,
      String healthStatus,
      String worstFinding,
      Instant lastVerifiedAt,
      String recoverableWindow,
      TargetStatus.Integrity integrity) {
    static final Row EMPTY =
        new Row(null, null, null, null, null, null, null, null, null, null, null);

    static Row of(ResultSet rs) throws SQLException {
      return new Row(
          RunStore.instant(rs, "last_backup_at"),
          rs.getString("last_backup_command"),
          RunStore.instant(rs, "last_backup_failed_at"),
          rs.getString("last_backup_error"),
          RunStore.instant(rs, "last_vacuum_at"),
          RunStore.instant(rs, "last_health_at"),
          rs.getString("health_status"),
          rs.getString("worst_finding"),
          RunStore.instant(rs, "last_verified_at"),
          rs.getString("recoverable_window"),
          integrity(rs));
    }

    private static TargetStatus.Integrity integrity(ResultSet rs) throws SQLException {
      Instant at = RunStore.instant(rs, "last_integrity_at");
      if (at == null) {
        return null;
      }
      int corrupt = rs.getInt("integrity_corrupt_relations");
      return new TargetStatus.Integrity(
          at,
          rs.getString("integrity_status"),
          rs.wasNull() ? null : corrupt,
          RunStore.json(rs.getString("integrity_worst_finding")));
    }
  }
}
