package io.pgfleet.worker.procedure.reindex;

import io.pgfleet.commands.ReindexParams;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.health.EstimatedIndex;
import io.pgfleet.worker.procedure.health.IndexBloatEstimate;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * {@code reindex bloated: true}: the indexes the health check {@code index-bloat} flags, by the
 * same estimate and the target's same thresholds, each rebuilt by its own {@code REINDEX INDEX}
 * (with the leftover handling and retry of any reindex), so one lock wait or failure concerns one
 * index.
 */
final class BloatedReindex {
  private final RunContext ctx;
  private final MaintenanceSession session;
  private final ReindexParams params;

  BloatedReindex(RunContext ctx, MaintenanceSession session, ReindexParams params) {
    this.ctx = ctx;
    this.session = session;
    this.params = params;
  }

  Map<String, Object> run() throws ProcedureFailure, InterruptedException {
    List<EstimatedIndex> estimate = estimate();
    BloatedReport report = new BloatedReport(params, estimate);
    if (params.dryRun()) {
      return report.statistics();
    }
    for (EstimatedIndex index : report.flagged()) {
      ctx.cancellation().check();
      try {
        report.rebuilt(index, new IndexRebuild(session, ReindexScope.of(index), params).run());
      } catch (ProcedureFailure failure) {
        throw new ProcedureFailure(
            failure.code(), failure.getMessage() + report.rebuiltSoFar(), failure);
      }
    }
    return report.statistics();
  }

  private List<EstimatedIndex> estimate() throws ProcedureFailure {
    try {
      return IndexBloatEstimate.of(session.connection(), ctx.target().config().maintenance());
    } catch (SQLException e) {
      throw session.failure("estimating index bloat", e);
    }
  }
}
