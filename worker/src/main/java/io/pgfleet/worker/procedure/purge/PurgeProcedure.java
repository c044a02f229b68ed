package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.PurgeParams;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.target.SessionLimits;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A retention purge by a named policy of the target: expired rows deleted (or archived, then
 * deleted) in keyset batches, each in a short transaction of its own with the policy's {@code
 * lock_timeout}, a pause between batches; then ANALYZE (or VACUUM ANALYZE) of the table.
 *
 * <p>The cutoff is the command's time (or the server's, if earlier) minus the policy's age, so
 * every attempt of one command purges the same rows; a purge interrupted anywhere and sent again
 * continues where it stopped, because every committed batch is complete in itself and the next
 * batch is found from the rows that are left.
 */
public final class PurgeProcedure implements Procedure {
  private final Clock clock;

  public PurgeProcedure(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Operation operation() {
    return Operation.PURGE;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    Command command = ctx.command();
    PurgePolicy policy = policy(ctx.target().config(), command.params(PurgeParams.class));
    long start = System.nanoTime();
    SessionLimits limits = new SessionLimits(policy.statementTimeout(), policy.lockTimeout());
    try (Connection c = ctx.target().connect("purge", limits)) {
      ctx.cancellation().onCancel(() -> abort(c));
      utc(c);
      PurgeTable table = PurgeTable.resolve(c, policy);
      OffsetDateTime cutoff = cutoff(c, command.time(), policy.olderThan());
      PurgeTally tally = new PurgeTally();
      Transactions tx =
          new Transactions(
              c,
              tally,
              policy.pause(),
              ctx.cancellation(),
              table.table().toString(),
              policy.batchBy());
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("policy", policy.name());
      stats.put("table", table.table().toString());
      stats.put("archive", policy.archive().describe());
      stats.put("cutoff", cutoff.toInstant().toString());
      stats.put("batchBy", policy.batchBy().name().toLowerCase(java.util.Locale.ROOT));
      List<Artifact> artifacts = List.of();
      if (policy.batchBy() == PurgePolicy.BatchBy.CTID) {
        new PageSlices(table, tx, tally, cutoff).run(() -> more(ctx, limits));
      } else {
        try (Disposal disposal = disposal(ctx, c, table, tx, tally, cutoff)) {
          new Batches(table, tx, tally, cutoff).run(disposal);
          artifacts = disposal.artifacts();
        }
      }
      stats.putAll(tally.statistics());
      if (policy.archive().kind() == PurgePolicy.Archive.Kind.S3) {
        stats.put("segments", tally.segments);
        stats.put("archiveBytes", tally.archiveBytes);
      }
      stats.put("purgeMs", millisSince(start));
      Maintenance.run(c, table, policy.lockTimeout()).addTo(stats);
      stats.put("totalMs", millisSince(start));
      return new ProcedureResult(artifacts, stats);
    } catch (SQLException e) {
      if (ctx.cancellation().isCancelled()) {
        throw new InterruptedException(ctx.cancellation().reason());
      }
      if (StatementTimeout.is(e)) {
        throw StatementTimeout.of(policy, e);
      }
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR,
          "purge " + policy.name() + " of " + command.target() + " failed: " + e.getMessage(),
          e);
    } catch (IOException | StorageException e) {
      if (ctx.cancellation().isCancelled()) {
        throw new InterruptedException(ctx.cancellation().reason());
      }
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "archiving for purge " + policy.name() + " failed: " + e.getMessage(),
          e);
    }
  }

  /** The policy the command names; only policies in the target's config can run. */
  private static PurgePolicy policy(TargetConfig target, PurgeParams params)
      throws ProcedureFailure {
    return target
        .purgePolicy(params.policy())
        .orElseThrow(
            () ->
                new ProcedureFailure(
                    ErrorCode.UNKNOWN_POLICY,
                    "target "
                        + target.name()
                        + " has no purge policy '"
                        + params.policy()
                        + "'; its policies: "
                        + (target.purgePolicies().isEmpty()
                            ? "none"
                            : String.join(", ", new TreeSet<>(target.purgePolicies().keySet())))
                        + ". Policies are defined per target in the worker config"
                        + " (targets.<name>.purgePolicies)"));
  }

  private Disposal disposal(
      RunContext ctx,
      Connection c,
      PurgeTable t,
      Transactions tx,
      PurgeTally tally,
      OffsetDateTime cutoff)
      throws SQLException {
    return switch (t.policy().archive().kind()) {
      case NONE -> new Disposal.Delete(t, tx, tally, cutoff);
      case TABLE -> new Disposal.MoveToTable(t, tx, tally, cutoff);
      case S3 -> new ArchiveToS3(ctx, c, t, tx, tally, cutoff, clock);
    };
  }

  /**
   * The command's time minus the age, by the server's clock if the producer's is ahead: a command
   * from a clock in the future must not purge rows that are not old enough yet.
   */
  private static OffsetDateTime cutoff(Connection c, Instant commandTime, Duration olderThan)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT least(?::timestamptz, now()) - make_interval(secs => ?)")) {
      ps.setObject(1, OffsetDateTime.ofInstant(commandTime, ZoneOffset.UTC));
      ps.setDouble(2, olderThan.toMillis() / 1000.0);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getObject(1, OffsetDateTime.class);
      }
    }
  }

  /** Another connection to the target, set up as the purge's own, for one more session. */
  private static Connection more(RunContext ctx, SessionLimits limits)
      throws SQLException, ProcedureFailure {
    Connection more = ctx.target().connect("purge", limits);
    ctx.cancellation().onCancel(() -> abort(more));
    try {
      return utc(more);
    } catch (SQLException e) {
      more.close();
      throw e;
    }
  }

  /** Times compare in UTC, whatever the role's or database's TimeZone. */
  private static Connection utc(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SET TimeZone = 'UTC'");
    }
    return c;
  }

  /** Stops a run from outside: the server rolls back whatever transaction was open. */
  private static void abort(Connection c) {
    try {
      c.abort(Runnable::run);
    } catch (SQLException ignored) {
      // already closed
    }
  }

  private static long millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }
}
