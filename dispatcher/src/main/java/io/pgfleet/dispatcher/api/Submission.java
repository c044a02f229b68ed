package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.fleet.Run;
import io.pgfleet.dispatcher.fleet.RunStore;
import io.pgfleet.dispatcher.fleet.TargetDirectory;
import io.pgfleet.dispatcher.send.CommandRequest;
import io.pgfleet.dispatcher.send.CommandSender;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/v1/commands}: checks the caller may ask for the command, validates it against
 * the wire schemas, and sends it. The same client-supplied id again gives the same run.
 *
 * <pre>{"id": "...", "operation": "backup", "target": "order_db", "params": {...},
 *  "expiresAt": "2026-11-21T05:00:00Z"}</pre>
 */
final class Submission {
  private final CommandSender sender;
  private final RunStore runs;
  private final TargetDirectory directory;
  private final Clock clock;

  Submission(CommandSender sender, RunStore runs, TargetDirectory directory, Clock clock) {
    this.sender = sender;
    this.runs = runs;
    this.directory = directory;
    this.clock = clock;
  }

  /** What the caller gets: the run, and whether this request created it. */
  record Outcome(Run run, boolean created) {}

  Outcome submit(ApiToken caller, JsonNode body) {
    CommandBody.requireKnownFields(body);
    String operation = CommandBody.text(body, "operation", true);
    String target = CommandBody.text(body, "target", true);
    JsonNode params = CommandBody.params(body);
    Authorization.requireRole(
        caller,
        OperationRisk.required(operation, params),
        (OperationRisk.isDestructive(operation, params) ? "destructive operation " : "operation ")
            + operation);
    String id =
        Optional.ofNullable(CommandBody.text(body, "id", false))
            .orElseGet(() -> UUID.randomUUID().toString());
    Instant expiresAt = CommandBody.instant(body, "expiresAt");
    Command command =
        CommandBody.validate(
            new CommandRequest(
                id, caller.source(), operation, target, params, clock.instant(), expiresAt));
    if (!directory.contains(target)) {
      directory.refresh();
      if (!directory.contains(target)) {
        throw new Problem(
                "https://pgfleet.io/problems/unknown-target",
                "Unknown target",
                422,
                "/target: no target named " + target + " in the fleet",
                java.util.List.of(FieldError.body("/target", "no target named " + target)))
            .answer();
      }
    }
    Optional<Run> existing = runs.run(id);
    if (existing.isPresent()) {
      requireSame(existing.get(), command);
      if (existing.get().publishedAt() == null) {
        send(command);
      }
      return new Outcome(runs.run(id).orElseThrow(), false);
    }
    send(command);
    return new Outcome(runs.run(id).orElseThrow(), true);
  }

  private void send(Command command) {
    try {
      sender.send(command).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(e);
    } catch (Exception e) {
      throw unavailable(e);
    }
  }

  private static Problem.Answer unavailable(Exception e) {
    return Problem.of(
            503,
            "not-published",
            "Not published",
            "the command could not be published to Kafka ("
                + e.getMessage()
                + "); send the same request again")
        .answer();
  }

  private static void requireSame(Run run, Command command) {
    JsonNode params = Json.mapper().valueToTree(command.params());
    boolean same =
        run.operation().equals(command.operation().wireName())
            && run.target().equals(command.target())
            && (run.params() == null || run.params().equals(params));
    if (!same) {
      throw new Problem(
              "https://pgfleet.io/problems/id-conflict",
              "Id already used",
              409,
              "/id: command id " + command.id() + " was already used for a different command",
              java.util.List.of(FieldError.body("/id", "already used for a different command")))
          .answer();
    }
  }

  static ObjectNode created(Outcome outcome) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("commandId", outcome.run().commandId());
    node.put("status", outcome.run().status());
    node.put("run", "/api/v1/runs/" + outcome.run().commandId());
    return node;
  }
}
