package io.pgfleet.worker.procedure.reindex;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ReindexParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * REINDEX of an index, a table, the database or the indexes the bloat estimate flags ({@link
 * BloatedReindex}), CONCURRENTLY unless the command asks otherwise and the target allows it.
 * Invalid indexes in scope are reported before and after; with {@code dropInvalid}, the {@code
 * _ccnew}/{@code _ccold} leftovers of failed concurrent rebuilds are dropped first, and a rebuild
 * that fails is retried once after dropping what it left behind. A dry run only lists what would be
 * rebuilt.
 */
public final class ReindexProcedure implements Procedure {
  /** A concurrent rebuild waits for older transactions between its phases: give it a minute. */
  static final SessionLimits DEFAULTS =
      new SessionLimits(Duration.ofHours(6), Duration.ofMinutes(1));

  @Override
  public Operation operation() {
    return Operation.REINDEX;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    ReindexParams params = ctx.command().params(ReindexParams.class);
    String target = ctx.command().target();
    if (!params.concurrently() && !ctx.target().config().maintenance().allowBlockingReindex()) {
      throw new ProcedureFailure(
          ErrorCode.OPERATION_NOT_ALLOWED,
          "a reindex without concurrently blocks writes to the table (and reads that use the"
              + " index) until it ends, and target '"
              + target
              + "' does not allow it: set targets."
              + target
              + ".allow.blockingReindex: true in the worker config if it should, or reindex"
              + " concurrently");
    }
    try (MaintenanceSession session = MaintenanceSession.open(ctx, Operation.REINDEX, DEFAULTS)) {
      if (params.bloated()) {
        return result(new BloatedReindex(ctx, session, params).run());
      }
      ReindexScope scope = resolve(session, params);
      IndexRebuild rebuild = new IndexRebuild(session, scope, params);
      return result(params.dryRun() ? rebuild.dryRun() : rebuild.run().statistics());
    }
  }

  private static ProcedureResult result(Map<String, Object> statistics) {
    return new ProcedureResult(List.of(), statistics);
  }

  private static ReindexScope resolve(MaintenanceSession session, ReindexParams params)
      throws ProcedureFailure {
    try {
      return ReindexScope.resolve(session.connection(), params);
    } catch (SQLException e) {
      throw session.failure("looking up what to reindex", e);
    }
  }
}
