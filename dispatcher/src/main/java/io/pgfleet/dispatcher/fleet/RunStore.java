package io.pgfleet.dispatcher.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.result.RunState;
import io.pgfleet.commands.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The runs the dispatcher knows of, in the ledger database: requests, and reads for the API. */
public final class RunStore {
  private static final String COLUMNS =
      "command_id, target, operation, source, status, params, requested_at, published_at,"
          + " expires_at, attempt, worker, started_at, finished_at, progress, error, artifacts,"
          + " statistics, findings";
  private static final String RECORD =
      """
      INSERT INTO pgfleet.fleet_runs AS r (command_id, target, operation, source, status, params,
        requested_at, expires_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
      ON CONFLICT (command_id) DO UPDATE
        SET source = coalesce(r.source, EXCLUDED.source), params = coalesce(r.params, EXCLUDED.params),
            expires_at = coalesce(r.expires_at, EXCLUDED.expires_at)
      """;

  private final DataSource dataSource;

  public RunStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Records a command about to be sent; a run already known keeps what it has. */
  public void recordRequest(Command command, Instant at) {
    recordRequests(List.of(command), at);
  }

  /**
   * Records commands about to be sent, in one transaction of batched inserts: a schedule firing for
   * a thousand targets costs one commit, not a thousand.
   */
  public void recordRequests(List<Command> commands, Instant at) {
    if (commands.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(RECORD)) {
        for (Command command : commands) {
          ps.setString(1, command.id());
          ps.setString(2, command.target());
          ps.setString(3, command.operation().wireName());
          ps.setString(4, command.source());
          ps.setString(5, RunState.QUEUED.sqlName());
          ps.setString(6, Json.mapper().writeValueAsString(command.params()));
          ps.setTimestamp(7, Timestamp.from(at));
          ps.setTimestamp(
              8, command.expiresAt() == null ? null : Timestamp.from(command.expiresAt()));
          ps.setTimestamp(9, Timestamp.from(at));
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new FleetStoreException(
          "cannot record " + commands.size() + " command(s), first " + commands.get(0).id(), e);
    }
  }

  public void markPublished(String commandId, Instant at) {
    markPublished(List.of(commandId), at);
  }

  /** Marks runs published, in one statement. */
  public void markPublished(List<String> commandIds, Instant at) {
    if (commandIds.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE pgfleet.fleet_runs SET published_at = coalesce(published_at, ?)"
                    + " WHERE command_id = ANY (?)")) {
      ps.setTimestamp(1, Timestamp.from(at));
      ps.setArray(2, c.createArrayOf("text", commandIds.toArray()));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new FleetStoreException("cannot mark " + commandIds.size() + " run(s) published", e);
    }
  }

  /**
   * The run with its events, read in one snapshot: a terminal event and the status it set are
   * committed together, and are seen together.
   */
  public Optional<Run> run(String commandId) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try {
        List<Run> found =
            query(
                c,
                "SELECT " + COLUMNS + " FROM pgfleet.fleet_runs WHERE command_id = ?",
                commandId);
        List<Run.RunEvent> events = found.isEmpty() ? List.of() : events(c, commandId);
        return found.stream().findFirst().map(r -> r.withEvents(events));
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new FleetStoreException("cannot read run " + commandId, e);
    }
  }

  public List<Run> list(RunFilter f) {
    StringBuilder sql =
        new StringBuilder("SELECT " + COLUMNS + " FROM pgfleet.fleet_runs WHERE true");
    List<Object> args = new ArrayList<>();
    condition(sql, args, " AND target = ?", f.target());
    condition(sql, args, " AND operation = ?", f.operation());
    condition(sql, args, " AND status = ?", f.status() == null ? null : f.status().sqlName());
    condition(sql, args, " AND requested_at >= ?", ts(f.from()));
    condition(sql, args, " AND requested_at < ?", ts(f.to()));
    sql.append(" ORDER BY requested_at DESC, command_id LIMIT ").append(f.limit());
    return query(sql.toString(), args.toArray());
  }

  /** Runs in progress on any target, with their latest progress. */
  public List<Run> running() {
    return query(
        "SELECT " + COLUMNS + " FROM pgfleet.fleet_runs WHERE status = ? ORDER BY started_at",
        RunState.RUNNING.sqlName());
  }

  private static List<Run.RunEvent> events(Connection c, String commandId) throws SQLException {
    List<Run.RunEvent> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT event_id, outcome, time, event -> 'data' FROM pgfleet.fleet_run_events"
                + " WHERE command_id = ? ORDER BY time, event_id")) {
      ps.setString(1, commandId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Run.RunEvent(
                  rs.getString(1), rs.getString(2), instant(rs, 3), json(rs.getString(4))));
        }
      }
      return out;
    }
  }

  private List<Run> query(String sql, Object... args) {
    try (Connection c = dataSource.getConnection()) {
      return query(c, sql, args);
    } catch (SQLException e) {
      throw new FleetStoreException("cannot read runs", e);
    }
  }

  private static List<Run> query(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      List<Run> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(run(rs));
        }
      }
      return out;
    }
  }

  private static Run run(ResultSet rs) throws SQLException {
    Integer attempt = (Integer) rs.getObject("attempt");
    return new Run(
        rs.getString("command_id"),
        rs.getString("target"),
        rs.getString("operation"),
        rs.getString("source"),
        rs.getString("status"),
        json(rs.getString("params")),
        instant(rs, "requested_at"),
        instant(rs, "published_at"),
        instant(rs, "expires_at"),
        attempt,
        rs.getString("worker"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        json(rs.getString("progress")),
        json(rs.getString("error")),
        json(rs.getString("artifacts")),
        json(rs.getString("statistics")),
        json(rs.getString("findings")),
        null);
  }

  private void update(String sql, Object... args) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new FleetStoreException("cannot update runs", e);
    }
  }

  private static void condition(StringBuilder sql, List<Object> args, String clause, Object v) {
    if (v != null) {
      sql.append(clause);
      args.add(v);
    }
  }

  static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  static JsonNode json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Json.mapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("the ledger holds invalid JSON", e);
    }
  }
}
