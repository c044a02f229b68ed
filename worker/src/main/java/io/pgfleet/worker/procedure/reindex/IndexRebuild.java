package io.pgfleet.worker.procedure.reindex;

import io.pgfleet.commands.ReindexParams;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.procedure.maintenance.ServerMessages.Message;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One reindex: inspect, drop leftovers if asked, rebuild (retrying once), inspect again. */
final class IndexRebuild {
  private static final Set<String> WORTH_RETRYING = Set.of("55P03", "40P01", "57014");
  private static final int ATTEMPTS = 2;

  private final MaintenanceSession session;
  private final ReindexScope scope;
  private final ReindexParams params;
  private final ReindexReport report;

  IndexRebuild(MaintenanceSession session, ReindexScope scope, ReindexParams params) {
    this.session = session;
    this.scope = scope;
    this.params = params;
    this.report = new ReindexReport(scope.description(), params.concurrently());
  }

  ReindexReport run() throws ProcedureFailure, InterruptedException {
    List<ScopedIndex> before = indexes("listing the indexes to rebuild");
    report.before(before);
    if (params.dropInvalid()) {
      report.dropped(dropLeftovers(before));
    }
    List<Message> messages = reindex();
    report.rebuilt(messages);
    report.after(indexes("listing the rebuilt indexes"));
    return report;
  }

  /** What {@link #run} would rebuild and drop, touching nothing. */
  Map<String, Object> dryRun() throws ProcedureFailure {
    return report.dryRun(indexes("listing the indexes to rebuild"), params.dropInvalid());
  }

  private List<Message> reindex() throws ProcedureFailure, InterruptedException {
    String sql = scope.reindexSql(params.concurrently());
    for (int attempt = 1; ; attempt++) {
      report.attempts(attempt);
      try {
        return session.execute(sql);
      } catch (SQLException e) {
        boolean retry =
            params.dropInvalid() && attempt < ATTEMPTS && WORTH_RETRYING.contains(e.getSQLState());
        if (!retry) {
          throw failed(e);
        }
        try {
          report.dropped(dropLeftovers(indexes("listing what the failed rebuild left")));
        } catch (ProcedureFailure dropFailed) {
          throw failed(e); // still blocked: say what failed and what is left behind
        }
      }
    }
  }

  private List<String> dropLeftovers(List<ScopedIndex> indexes)
      throws ProcedureFailure, InterruptedException {
    List<String> dropped = new ArrayList<>();
    for (ScopedIndex index : indexes) {
      if (index.leftover()) {
        try {
          session.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index.qualified());
          dropped.add(index.toString());
        } catch (SQLException e) {
          if (!"42501".equals(e.getSQLState())) {
            throw session.failure("dropping the invalid leftover index " + index, e);
          }
          // A TOAST table's leftover lives in pg_toast, where only a superuser may drop.
          report.notDropped(index + " (" + e.getMessage() + ": a superuser must drop it)");
        }
      }
    }
    return dropped;
  }

  private ProcedureFailure failed(SQLException e) throws ProcedureFailure {
    ProcedureFailure failure = session.failure("REINDEX of " + scope.description(), e);
    List<String> leftovers =
        indexes("listing what the failed rebuild left").stream()
            .filter(ScopedIndex::leftover)
            .map(Object::toString)
            .toList();
    if (leftovers.isEmpty()) {
      return failure;
    }
    return new ProcedureFailure(
        failure.code(),
        failure.getMessage()
            + ". It left invalid index(es) "
            + leftovers
            + " behind: send the reindex again with dropInvalid: true to drop them and retry",
        e);
  }

  private List<ScopedIndex> indexes(String doing) throws ProcedureFailure {
    try {
      return scope.indexes(session.connection());
    } catch (SQLException e) {
      throw session.failure(doing, e);
    }
  }
}
