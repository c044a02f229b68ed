package io.pgfleet.worker.procedure.analyze;

import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.procedure.maintenance.ServerMessages.Message;
import io.pgfleet.worker.procedure.maintenance.Tables;
import io.pgfleet.worker.sql.TableRef;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ANALYZE of the whole database (SKIP_LOCKED: a busy table is skipped and reported) or of listed
 * tables (each waits up to the lock timeout), with what each table's sample found.
 */
public final class AnalyzeProcedure implements Procedure {
  static final SessionLimits DEFAULTS =
      new SessionLimits(Duration.ofHours(1), Duration.ofSeconds(5));
  private static final int MAX_TABLES = 20;

  @Override
  public Operation operation() {
    return Operation.ANALYZE;
  }

  /** A statistics sample: it runs beside a heavy operation (it waits on no one's lock long). */
  @Override
  public boolean heavy() {
    return false;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    AnalyzeParams params = ctx.command().params(AnalyzeParams.class);
    try (MaintenanceSession session = MaintenanceSession.open(ctx, Operation.ANALYZE, DEFAULTS)) {
      List<TableRef> tables;
      try {
        tables = Tables.resolve(session.connection(), params.tables());
      } catch (SQLException e) {
        throw session.failure("looking up the tables to analyze", e);
      }
      List<Message> messages = new ArrayList<>();
      if (tables.isEmpty()) {
        messages.addAll(analyze(session, "ANALYZE (VERBOSE, SKIP_LOCKED)", "the database"));
      } else {
        for (TableRef table : tables) {
          messages.addAll(analyze(session, "ANALYZE (VERBOSE) " + table.sql(), table.toString()));
        }
      }
      AnalyzeOutput output = AnalyzeOutput.parse(messages);
      if (!tables.isEmpty() && !output.skipped().isEmpty()) {
        throw new ProcedureFailure(
            ErrorCode.PERMISSION_DENIED,
            "the server skipped tables: "
                + String.join("; ", output.skipped())
                + ". The target's user must own them or the database");
      }
      return new ProcedureResult(List.of(), statistics(tables, output));
    }
  }

  private static List<Message> analyze(MaintenanceSession session, String sql, String what)
      throws ProcedureFailure, InterruptedException {
    try {
      return session.execute(sql);
    } catch (SQLException e) {
      throw session.failure("ANALYZE of " + what, e);
    }
  }

  private static Map<String, Object> statistics(List<TableRef> listed, AnalyzeOutput output) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("scope", listed.isEmpty() ? "database" : "tables");
    stats.put("tables", output.tables().size());
    stats.put(
        "rowsSampled", output.tables().values().stream().mapToLong(s -> s.sampleRows()).sum());
    stats.put(
        "rowsEstimated", output.tables().values().stream().mapToLong(s -> s.estimatedRows()).sum());
    if (!output.skipped().isEmpty()) {
      stats.put("skipped", output.skipped());
    }
    stats.put(
        "perTable",
        output.tables().entrySet().stream()
            .sorted(
                Comparator.comparingLong(
                        (Map.Entry<String, AnalyzeOutput.Sample> e) -> e.getValue().estimatedRows())
                    .reversed())
            .limit(MAX_TABLES)
            .map(
                e ->
                    Items.of(
                        "table", e.getKey(),
                        "pagesScanned", e.getValue().pagesScanned(),
                        "pages", e.getValue().pages(),
                        "sampleRows", e.getValue().sampleRows(),
                        "estimatedRows", e.getValue().estimatedRows()))
            .toList());
    return stats;
  }
}
