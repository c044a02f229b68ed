package io.pgfleet.worker.run;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Origin;
import io.pgfleet.commands.result.Original;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.commands.result.RunState;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.ledger.CatalogChange;
import io.pgfleet.worker.ledger.Claim;
import io.pgfleet.worker.ledger.Lease;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's results on their way out: the terminal state and its event written together (fenced by
 * the lease), the event then left to the intake, which publishes it in one Kafka transaction with
 * the command's offset and marks it published; a finished run's unpublished event handed over again
 * (published unless the committed offset shows its transaction committed); started, progress and
 * duplicate events.
 */
final class ResultOutbox {
  private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);

  private final RunServices services;
  private final Command command;
  private final Origin origin;
  private final List<Outgoing> outgoing = new CopyOnWriteArrayList<>();
  private volatile Future<?> lastEvent;

  /**
   * @param origin the command record this run settles
   */
  ResultOutbox(RunServices services, Command command, Origin origin) {
    this.services = services;
    this.command = command;
    this.origin = origin;
  }

  /** The events to publish with the command's offset, once the run ended. */
  List<Outgoing> outgoing() {
    return List.copyOf(outgoing);
  }

  RunReport.Builder report(Lease lease) {
    return RunReport.builder(command.operation().wireName(), services.workerId())
        .commandId(command.id())
        .attempt(lease.attempt())
        .origin(origin);
  }

  /** Started and progress events: published without waiting, nothing is written for them. */
  void publish(Outcome outcome, RunReport report) {
    lastEvent = services.results().publish(event(outcome, report));
  }

  /**
   * The last started or progress event sent, or null; Kafka keeps one producer's sends in order.
   */
  Future<?> lastEvent() {
    return lastEvent;
  }

  RunEnd fail(Lease lease, Instant startedAt, RunError error) {
    RunReport report = report(lease).startedAt(startedAt).finishedAt(now()).error(error).build();
    log.warn(
        "run {} on {} failed: {} {}",
        command.id(),
        command.target(),
        error.code(),
        error.message());
    return finish(lease, RunState.FAILED, report, error, List.of());
  }

  RunEnd finish(
      Lease lease, RunState state, RunReport report, RunError error, List<Artifact> artifacts) {
    return finish(lease, state, report, error, artifacts, List.of());
  }

  /**
   * The terminal write, with the catalog changes the run asked for; the event announcing the state
   * left to publish.
   */
  RunEnd finish(
      Lease lease,
      RunState state,
      RunReport report,
      RunError error,
      List<Artifact> artifacts,
      List<CatalogChange> catalog) {
    Outcome outcome = Outcome.announcing(state).orElseThrow();
    byte[] event = encode(outcome, report);
    services.ledger().finish(lease, state, error, json(report), event, artifacts, catalog);
    outgoing.add(new Outgoing(command.target(), event, command.id(), null));
    Duration took = report.durationMs() == null ? null : Duration.ofMillis(report.durationMs());
    services
        .metrics()
        .runEnded(command.operation(), command.target(), outcome, took, artifacts, now());
    if (state == RunState.SUCCEEDED) {
      if (report.findings() != null && command.operation() == Operation.HEALTH_CHECK) {
        services
            .metrics()
            .healthChecked(command.target(), report.findings(), report.statistics(), now());
      }
      if (report.findings() != null && command.operation() == Operation.CHECK_INTEGRITY) {
        Instant at = report.finishedAt() == null ? now() : report.finishedAt();
        services.metrics().integrityChecked(command.target(), report.findings(), at);
      }
      if (command.operation() == Operation.VERIFY_BACKUP && report.statistics() != null) {
        services.metrics().drillRestored(command.target(), report.statistics());
      }
      log.info(
          "run {} on {} succeeded in {} ms", command.id(), command.target(), report.durationMs());
    }
    return RunEnd.DONE;
  }

  /**
   * The command already ended: its result again unless Kafka has it, then a duplicate. When the
   * unpublished result was to settle this very record (its run finished on a worker that lost the
   * partition, or died before its transaction committed), this record is not a duplicate: the
   * result alone settles it.
   */
  void duplicate(Claim.AlreadyFinished done) {
    Origin settledWith = null;
    if (done.unpublishedResult() != null) {
      settledWith = services.results().decode(done.unpublishedResult()).data().origin();
      // An event from before origins were recorded cannot be checked: published again.
      outgoing.add(
          new Outgoing(command.target(), done.unpublishedResult(), command.id(), settledWith));
      if (origin.equals(settledWith)) {
        log.info("command {} ended on a worker that did not publish it: publishing", command.id());
        return;
      }
    }
    RunReport report =
        RunReport.builder(command.operation().wireName(), services.workerId())
            .commandId(command.id())
            .original(new Original(done.state().sqlName(), done.attempt(), done.finishedAt()))
            .origin(origin)
            .build();
    outgoing.add(new Outgoing(command.target(), encode(Outcome.DUPLICATE, report), null, null));
    services
        .metrics()
        .runEnded(command.operation(), command.target(), Outcome.DUPLICATE, null, List.of(), now());
    log.info(
        "command {} already {}: duplicate, not executed", command.id(), done.state().sqlName());
  }

  Instant now() {
    return services.clock().instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private ResultEvent event(Outcome outcome, RunReport report) {
    return ResultEvent.of(outcome, services.workerId(), command.target(), now(), report);
  }

  private byte[] encode(Outcome outcome, RunReport report) {
    return services.results().encode(event(outcome, report));
  }

  private static String json(RunReport report) {
    try {
      return Json.mapper().writeValueAsString(report);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the report of a run", e);
    }
  }
}
