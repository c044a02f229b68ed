package io.pgfleet.dispatcher.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.RunState;
import io.pgfleet.commands.wire.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies result events to the fleet's state in the ledger database. Each event is applied once
 * (its id is kept), in one transaction, so replaying the results topic changes nothing; a status
 * moves only as {@link RunState} allows, so events arriving late cannot undo a terminal state.
 */
public final class Projection {
  private static final Logger log = LoggerFactory.getLogger(Projection.class);
  private static final String EVENT =
      """
      INSERT INTO pgfleet.fleet_run_events (event_id, command_id, outcome, time, event)
      VALUES (?, ?, ?, ?, ?::jsonb) ON CONFLICT (event_id) DO NOTHING
      """;
  private static final String RUN =
      """
      INSERT INTO pgfleet.fleet_runs (command_id, target, operation, status, requested_at, updated_at)
      VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (command_id) DO NOTHING
      """;
  private static final String STARTED =
      """
      UPDATE pgfleet.fleet_runs SET status = ?, attempt = ?, worker = ?, started_at = ?,
        progress = NULL, updated_at = now()
      WHERE command_id = ? AND status = ANY (?) AND coalesce(attempt, 0) <= ?
      """;
  private static final String PROGRESS =
      """
      UPDATE pgfleet.fleet_runs SET status = ?, progress = ?::jsonb,
        attempt = coalesce(attempt, ?), worker = coalesce(worker, ?),
        started_at = coalesce(started_at, ?), updated_at = now()
      WHERE command_id = ? AND status = ANY (?) AND coalesce(attempt, 0) <= ?
      """;
  private static final String TERMINAL =
      """
      UPDATE pgfleet.fleet_runs SET status = ?, attempt = coalesce(?, attempt),
        worker = coalesce(?, worker), started_at = coalesce(?, started_at), finished_at = ?,
        progress = NULL, error = ?::jsonb, artifacts = ?::jsonb, statistics = ?::jsonb,
        findings = ?::jsonb, updated_at = now()
      WHERE command_id = ? AND status = ANY (?)
      """;

  private final DataSource dataSource;

  public Projection(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Applies one event (a CloudEvent as JSON). Events that are not pgfleet results, or that name no
   * command, are ignored.
   *
   * @return whether the event was new
   */
  public boolean apply(JsonNode event) {
    Optional<Outcome> outcome = Outcome.fromEventType(event.path("type").asText());
    JsonNode data = event.path("data");
    String commandId = data.path("commandId").asText(null);
    String eventId = event.path("id").asText(null);
    if (outcome.isEmpty() || commandId == null || eventId == null) {
      return false;
    }
    Instant time = instant(event.path("time")).orElseGet(Instant::now);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean fresh = apply(c, event, outcome.get(), eventId, commandId, data, time);
        c.commit();
        return fresh;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new FleetStoreException("cannot apply result event " + eventId, e);
    }
  }

  private boolean apply(
      Connection c,
      JsonNode event,
      Outcome outcome,
      String eventId,
      String commandId,
      JsonNode data,
      Instant time)
      throws SQLException {
    if (execute(c, EVENT, eventId, commandId, outcome.wireName(), ts(time), event.toString())
        == 0) {
      return false;
    }
    String target = event.path("subject").asText("unknown");
    String operation = data.path("operation").asText("unknown");
    execute(c, RUN, commandId, target, operation, RunState.QUEUED.sqlName(), ts(time));
    Integer attempt = data.hasNonNull("attempt") ? data.get("attempt").asInt() : null;
    String worker = data.path("worker").asText(null);
    Timestamp startedAt = ts(instant(data.path("startedAt")).orElse(null));
    switch (outcome) {
      case STARTED ->
          execute(
              c,
              STARTED,
              RunState.RUNNING.sqlName(),
              attempt,
              worker,
              startedAt,
              commandId,
              guard(c, RunState.RUNNING),
              attempt == null ? 0 : attempt);
      case PROGRESS ->
          execute(
              c,
              PROGRESS,
              RunState.RUNNING.sqlName(),
              text(data.get("progress")),
              attempt,
              worker,
              startedAt,
              commandId,
              guard(c, RunState.RUNNING),
              attempt == null ? 0 : attempt);
      default -> {
        RunState status = terminalState(outcome, data);
        Instant finished = finishedAt(outcome, data).orElse(time);
        int changed =
            execute(
                c,
                TERMINAL,
                status.sqlName(),
                attempt,
                worker,
                startedAt,
                ts(finished),
                text(data.get("error")),
                text(data.get("artifacts")),
                text(data.get("statistics")),
                text(data.get("findings")),
                commandId,
                guard(c, status));
        if (changed == 1) {
          TargetFacts.record(c, target, operation, status, commandId, finished, data);
        } else {
          unapplied(c, eventId, outcome, commandId, status);
        }
      }
    }
    return true;
  }

  /**
   * A terminal event that changed no run: the run was already terminal. A duplicate repeating the
   * state the run has is expected; anything else means the fleet view and an event disagree.
   */
  private static void unapplied(
      Connection c, String eventId, Outcome outcome, String commandId, RunState status)
      throws SQLException {
    String current;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT status FROM pgfleet.fleet_runs WHERE command_id = ?")) {
      ps.setString(1, commandId);
      try (var rs = ps.executeQuery()) {
        current = rs.next() ? rs.getString(1) : "missing";
      }
    }
    if (outcome == Outcome.DUPLICATE && current.equals(status.sqlName())) {
      log.debug("duplicate event {} for run {} repeats its status {}", eventId, commandId, current);
      return;
    }
    log.warn(
        "result event {} ({}) for run {} changed nothing: the run is already {} and keeps it",
        eventId,
        outcome.wireName(),
        commandId,
        current);
  }

  /** A duplicate reports its original's state; one this dispatcher cannot read, as failed. */
  private static RunState terminalState(Outcome outcome, JsonNode data) {
    return outcome
        .runState()
        .or(() -> RunState.fromName(data.path("original").path("outcome").asText()))
        .filter(RunState::isTerminal)
        .orElse(RunState.FAILED);
  }

  private static Optional<Instant> finishedAt(Outcome outcome, JsonNode data) {
    return outcome == Outcome.DUPLICATE
        ? instant(data.path("original").path("finishedAt"))
        : instant(data.path("finishedAt"));
  }

  /** The states the table allows {@code next} from: the parameter of {@code status = ANY (?)}. */
  private static java.sql.Array guard(Connection c, RunState next) throws SQLException {
    return c.createArrayOf("text", RunState.sqlNamesBefore(next));
  }

  static int execute(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps.executeUpdate();
    }
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    try {
      return Json.mapper().writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Timestamp ts(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }

  private static Optional<Instant> instant(JsonNode node) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(node.asText()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
