package io.pgfleet.dispatcher.schedule;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.wire.CommandRejection;
import io.pgfleet.dispatcher.fleet.TargetDirectory;
import io.pgfleet.dispatcher.metrics.DispatcherMetrics;
import io.pgfleet.dispatcher.send.CommandRequest;
import io.pgfleet.dispatcher.send.CommandSender;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the schedules. On each {@link #tick()}, the leader (and only it) looks at each schedule's
 * instants since its bookmark, fires what {@link Catchup} says, records the rest as missed, and
 * moves the bookmark; followers do nothing but ask for the lock.
 */
public final class ScheduleRunner {
  /** Instants handled per schedule and tick; more are handled on the next ticks. */
  static final int MAX_INSTANTS_PER_TICK = 10_000;

  private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);

  private final List<Schedule> schedules;
  private final SchedulingSettings settings;
  private final Leadership leadership;
  private final FireLog fireLog;
  private final TargetDirectory directory;
  private final CommandSender sender;
  private final Clock clock;
  private final DispatcherMetrics metrics;
  private final ScheduleIds ids;

  public ScheduleRunner(
      List<Schedule> schedules,
      SchedulingSettings settings,
      Leadership leadership,
      FireLog fireLog,
      TargetDirectory directory,
      CommandSender sender,
      Clock clock,
      DispatcherMetrics metrics,
      ScheduleIds ids) {
    this.ids = ids;
    this.schedules = List.copyOf(schedules);
    this.settings = settings;
    this.leadership = leadership;
    this.fireLog = fireLog;
    this.directory = directory;
    this.sender = sender;
    this.clock = clock;
    this.metrics = metrics;
    schedules.forEach(s -> metrics.schedule(s.name()));
  }

  public List<Schedule> schedules() {
    return schedules;
  }

  /**
   * Handles every schedule once, if this dispatcher leads.
   *
   * @return the number of commands sent
   */
  public synchronized int tick() {
    metrics.ticked(clock.instant());
    if (schedules.isEmpty() || !leadership.lead()) {
      return 0;
    }
    Instant now = clock.instant();
    int sent = 0;
    for (Schedule schedule : schedules) {
      try {
        sent += handle(leadership.connection(), schedule, now);
      } catch (SQLException | RuntimeException e) {
        log.warn("schedule {}: {}; trying again next tick", schedule.name(), e.getMessage());
        leadership.release();
        return sent;
      }
    }
    return sent;
  }

  private int handle(Connection leader, Schedule schedule, Instant now) throws SQLException {
    Optional<Instant> mark = fireLog.handledThrough(leader, schedule.name());
    if (mark.isEmpty()) {
      // A schedule seen for the first time starts now: no backfill of its past.
      fireLog.mark(leader, schedule.name(), now);
      return 0;
    }
    List<Instant> due = schedule.calendar().between(mark.get(), now, MAX_INSTANTS_PER_TICK);
    if (due.isEmpty()) {
      return 0;
    }
    Catchup.Decision decision =
        Catchup.decide(due, now, settings.missedHorizon(), schedule.window());
    int sent = 0;
    String note = null;
    if (decision.fire().isPresent()) {
      Fired fired = fire(schedule, decision.fire().get(), now);
      sent = fired.sent();
      note = fired.problems().isEmpty() ? null : String.join("; ", fired.problems());
    }
    leader.setAutoCommit(false);
    try {
      if (decision.fire().isPresent()) {
        fireLog.record(leader, schedule.name(), decision.fire().get(), true, sent, note, now);
      }
      for (Catchup.Missed missed : decision.missed()) {
        log.warn("schedule {} missed {}: {}", schedule.name(), missed.instant(), missed.reason());
        fireLog.record(leader, schedule.name(), missed.instant(), false, 0, missed.reason(), now);
      }
      fireLog.mark(leader, schedule.name(), due.get(due.size() - 1));
      leader.commit();
      decision.fire().ifPresent(instant -> metrics.fired(schedule.name()));
      decision.missed().forEach(missed -> metrics.missed(schedule.name()));
    } catch (SQLException | RuntimeException e) {
      leader.rollback();
      throw e;
    } finally {
      leader.setAutoCommit(true);
    }
    return sent;
  }

  private record Fired(int sent, List<String> problems) {}

  /** One command per selected target; a target that cannot get its command is noted. */
  private Fired fire(Schedule schedule, Instant instant, Instant now) {
    List<String> problems = new ArrayList<>();
    var known = directory.names();
    for (String unknown : schedule.targets().unknown(known)) {
      problems.add(unknown + ": not a known target");
    }
    List<Command> commands = new ArrayList<>();
    List<String> targets = schedule.targets().select(known);
    for (String target : targets) {
      CommandRequest request =
          new CommandRequest(
              ids.commandId(schedule, target, instant),
              schedule.source(),
              schedule.operation(),
              target,
              schedule.params(),
              now,
              schedule.expiresAt(instant).orElse(null));
      try {
        commands.add(request.validate());
      } catch (CommandRejection e) {
        problems.add(target + ": " + e.getMessage());
      }
    }
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    List<CompletableFuture<Void>> acks = sender.sendAll(commands);
    for (int i = 0; i < commands.size(); i++) {
      String target = commands.get(i).target();
      sends.add(
          acks.get(i)
              .exceptionally(
                  e -> {
                    synchronized (problems) {
                      problems.add(target + ": not published: " + e.getMessage());
                    }
                    return null;
                  }));
    }
    try {
      CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problems.add("interrupted while publishing");
    } catch (Exception e) {
      problems.add("publishing did not finish: " + e.getMessage());
    }
    int sent =
        sends.size() - (int) problems.stream().filter(p -> p.contains("not published")).count();
    if (!problems.isEmpty()) {
      log.warn("schedule {} at {}: {}", schedule.name(), instant, problems);
    }
    log.info("schedule {} fired for {}: {} command(s)", schedule.name(), instant, sent);
    return new Fired(sent, problems);
  }
}
