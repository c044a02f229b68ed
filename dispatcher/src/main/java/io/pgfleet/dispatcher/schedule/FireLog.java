package io.pgfleet.dispatcher.schedule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * What each schedule did at each instant, and the bookmark up to which its instants are handled.
 * Writes go through the leader's own session, so a dispatcher that lost the lock cannot write.
 */
public final class FireLog {
  private static final String FIRE =
      """
      INSERT INTO pgfleet.schedule_fires (schedule, instant, state, decided_at, dispatcher, commands, note)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (schedule, instant) DO NOTHING
      """;
  private static final String MARK =
      """
      INSERT INTO pgfleet.schedule_marks AS m (schedule, handled_through) VALUES (?, ?)
      ON CONFLICT (schedule) DO UPDATE
        SET handled_through = greatest(m.handled_through, EXCLUDED.handled_through)
      """;

  private final DataSource dataSource;
  private final String dispatcherId;

  public FireLog(DataSource dataSource, String dispatcherId) {
    this.dataSource = dataSource;
    this.dispatcherId = dispatcherId;
  }

  /** The newest instant of the schedule already handled, if it was ever seen. */
  public Optional<Instant> handledThrough(Connection leader, String schedule) throws SQLException {
    try (PreparedStatement ps =
        leader.prepareStatement(
            "SELECT handled_through FROM pgfleet.schedule_marks WHERE schedule = ?")) {
      ps.setString(1, schedule);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
      }
    }
  }

  public void mark(Connection leader, String schedule, Instant through) throws SQLException {
    try (PreparedStatement ps = leader.prepareStatement(MARK)) {
      ps.setString(1, schedule);
      ps.setTimestamp(2, Timestamp.from(through));
      ps.executeUpdate();
    }
  }

  /** Records one instant's fate; an instant already recorded keeps its first record. */
  public void record(
      Connection leader,
      String schedule,
      Instant instant,
      boolean fired,
      int commands,
      String note,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps = leader.prepareStatement(FIRE)) {
      ps.setString(1, schedule);
      ps.setTimestamp(2, Timestamp.from(instant));
      ps.setString(3, fired ? "fired" : "missed");
      ps.setTimestamp(4, Timestamp.from(now));
      ps.setString(5, dispatcherId);
      ps.setInt(6, commands);
      ps.setString(7, note);
      ps.executeUpdate();
    }
  }

  /** Per schedule, its newest recorded instant and what happened then. */
  public Map<String, Fire> latest() {
    Map<String, Fire> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT DISTINCT ON (schedule) schedule, instant, state, commands, note"
                    + " FROM pgfleet.schedule_fires ORDER BY schedule, instant DESC");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.put(
            rs.getString(1),
            new Fire(
                rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getInt(4), rs.getString(5)));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read schedule fires: " + e.getMessage(), e);
    }
  }

  /** What happened at one instant of a schedule. */
  public record Fire(Instant instant, String state, int commands, String note) {}
}
