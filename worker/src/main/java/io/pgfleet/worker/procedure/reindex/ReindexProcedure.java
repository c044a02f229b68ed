package io.pgfleet.worker.procedure.reindex;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ReindexParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.procedure.maintenance.ServerMessages.Message;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * REINDEX of an index, a table or the database, CONCURRENTLY unless the command asks otherwise and
 * the target allows it. Invalid indexes in scope are reported before and after; with {@code
 * dropInvalid}, the {@code _ccnew}/{@code _ccold} leftovers of failed concurrent rebuilds are
 * dropped first, and a rebuild that fails is retried once after dropping what it left behind.
 */
public final class ReindexProcedure implements Procedure {
  /** A concurrent rebuild waits for older transactions between its phases: give it a minute. */
  static final SessionLimits DEFAULTS =
      new SessionLimits(Duration.ofHours(6), Duration.ofMinutes(1));

  private static final Set<String> WORTH_RETRYING = Set.of("55P03", "40P01", "57014");
  private static final int ATTEMPTS = 2;

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
      ReindexScope scope = resolve(session, params);
      Rebuild rebuild = new Rebuild(session, scope, params);
      return new ProcedureResult(List.of(), rebuild.run().statistics());
    }
  }

  private static ReindexScope resolve(MaintenanceSession session, ReindexParams params)
      throws ProcedureFailure {
    try {
      return ReindexScope.resolve(session.connection(), params);
    } catch (SQLException e) {
      throw session.failure("looking up what to reindex", e);
    }
  }

  /** One reindex: inspect, drop leftovers if asked, rebuild (retrying once), inspect again. */
  private static final class Rebuild {
    private final MaintenanceSession session;
    private final ReindexScope scope;
    private final ReindexParams params;
    private final ReindexReport report;

    Rebuild(MaintenanceSession session, ReindexScope scope, ReindexParams params) {
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

    private List<Message> reindex() throws ProcedureFailure, InterruptedException {
      String sql = scope.reindexSql(params.concurrently());
      for (int attempt = 1; ; attempt++) {
        report.attempts(attempt);
        try {
          return session.execute(sql);
        } catch (SQLException e) {
          boolean retry =
              params.dropInvalid()
                  && attempt < ATTEMPTS
                  && WORTH_RETRYING.contains(e.getSQLState());
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
}
