package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily health checklist of the runbooks and check_postgres: one finding per check, each with
 * its status, measured value and thresholds (the target's config may change them). A check that
 * cannot run says so (status unknown) and the others go on; the run itself succeeds whatever the
 * findings are. Read-only and light, so it does not wait for heavy operations on the target.
 */
public final class HealthCheckProcedure implements Procedure {
  static final String DATABASE_BYTES = "databaseBytes";

  /** Every check is a catalog or statistics query: seconds, and no waiting for locks. */
  static final SessionLimits DEFAULTS =
      new SessionLimits(Duration.ofSeconds(10), Duration.ofSeconds(1));

  private static final Logger log = LoggerFactory.getLogger(HealthCheckProcedure.class);

  private final Clock clock;
  private final HealthHistory history;

  public HealthCheckProcedure(Clock clock, HealthHistory history) {
    this.clock = clock;
    this.history = history;
  }

  @Override
  public Operation operation() {
    return Operation.HEALTH_CHECK;
  }

  @Override
  public boolean heavy() {
    return false;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    HealthCheckParams params = ctx.command().params(HealthCheckParams.class);
    String target = ctx.command().target();
    try (MaintenanceSession session =
        MaintenanceSession.open(ctx, Operation.HEALTH_CHECK, DEFAULTS)) {
      Probe probe =
          new Probe(
              session.connection(),
              ctx.target().config().maintenance(),
              () -> history.previous(target),
              clock.instant());
      List<Finding> findings = new ArrayList<>();
      for (Check check : Checks.select(params.checks())) {
        ctx.cancellation().check();
        findings.add(run(check, probe, ctx));
      }
      Map<String, Object> statistics = statistics(findings, size(probe, session));
      statistics.putAll(probe.measurements());
      return new ProcedureResult(List.of(), statistics, findings);
    }
  }

  private static Finding run(Check check, Probe probe, RunContext ctx) {
    try {
      return check.run(probe);
    } catch (SQLException e) {
      return cannotRun(check, ctx.target().redact(e.getMessage()), e.getSQLState());
    } catch (RuntimeException e) {
      log.warn("health check {} failed", check.name(), e);
      return cannotRun(check, ctx.target().redact(String.valueOf(e.getMessage())), null);
    }
  }

  private static Finding cannotRun(Check check, String reason, String sqlState) {
    String hint =
        "42501".equals(sqlState)
            ? " (the target's user lacks a privilege; pg_monitor covers what health checks read)"
            : "";
    return new Finding(
        check.name(),
        Status.UNKNOWN,
        null,
        check.limit().unit().wireName(),
        null,
        "could not run: " + reason + hint,
        null);
  }

  private static long size(Probe probe, MaintenanceSession session) throws ProcedureFailure {
    try {
      return SizeChecks.databaseBytes(probe);
    } catch (SQLException e) {
      throw session.failure("measuring the database size", e);
    }
  }

  private static Map<String, Object> statistics(List<Finding> findings, long databaseBytes) {
    Map<Status, Integer> counts = new EnumMap<>(Status.class);
    Status worst = Status.OK;
    for (Finding f : findings) {
      counts.merge(f.status(), 1, Integer::sum);
      if (f.status() != Status.UNKNOWN) {
        worst = worst.worst(f.status()); // a check that could not run says so in its own finding
      }
    }
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("status", worst.wireName());
    stats.put("checks", findings.size());
    for (Status s : Status.values()) {
      stats.put(s.wireName(), counts.getOrDefault(s, 0));
    }
    stats.put(DATABASE_BYTES, databaseBytes);
    return stats;
  }
}
