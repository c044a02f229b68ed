package io.pgfleet.worker.procedure.integrity;

import io.pgfleet.commands.CheckIntegrityParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.ClientToolRun;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Looks for corruption: pg_amcheck over each user table (heap, TOAST) and its btree indexes, one
 * table at a time in name order, and the checksum failures the server counted. Read-only. Once the
 * time budget is spent no new table is started; the run's statistics say after which table it
 * stopped ({@code resumeAfter}), and the next run reads that from the ledger and goes on there, so
 * a large database is covered over several runs.
 */
public final class CheckIntegrityProcedure implements Procedure {
  static final SessionLimits DEFAULTS =
      new SessionLimits(Duration.ofMinutes(1), Duration.ofSeconds(5));
  static final String RESUME_AFTER = "resumeAfter";

  private final Clock clock;
  private final BiFunction<String, String, Optional<RunReport>> lastSucceeded;

  /**
   * @param lastSucceeded the report of the last successful run of an operation on a target (the
   *     ledger's), where the previous run left its position
   */
  public CheckIntegrityProcedure(
      Clock clock, BiFunction<String, String, Optional<RunReport>> lastSucceeded) {
    this.clock = clock;
    this.lastSucceeded = lastSucceeded;
  }

  @Override
  public Operation operation() {
    return Operation.CHECK_INTEGRITY;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    CheckIntegrityParams params = ctx.command().params(CheckIntegrityParams.class);
    Optional<IntegrityTables.Position> after =
        params.fromStart() ? Optional.empty() : previousPosition(ctx.command().target());
    long started = clock.millis();
    try (MaintenanceSession session =
        MaintenanceSession.open(ctx, Operation.CHECK_INTEGRITY, DEFAULTS)) {
      IntegrityTables.requireAmcheck(session);
      List<IntegrityTables.Position> tables = IntegrityTables.after(session, after);
      PgTools.Tool tool = ClientToolRun.find("pg_amcheck", ctx.target(), session.connection());
      List<Map<String, Object>> problems = new ArrayList<>();
      IntegrityTables.Position last = null;
      int checked = 0;
      for (IntegrityTables.Position table : tables) {
        if (checked > 0 && clock.millis() - started >= params.timeBudgetSeconds() * 1000L) {
          break;
        }
        ctx.cancellation().check();
        problems.addAll(check(ctx, tool, table));
        last = table;
        checked++;
      }
      boolean complete = checked == tables.size();
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("tablesChecked", checked);
      stats.put("tablesLeft", tables.size() - checked);
      stats.put("startedAfter", after.map(IntegrityTables.Position::name).orElse(null));
      stats.put("complete", complete);
      if (!complete) {
        stats.put(RESUME_AFTER, last.asMap());
      }
      stats.put("corruptRelations", problems.size());
      stats.put("tool", tool.path().toString());
      stats.put("durationMs", clock.millis() - started);
      stats.values().removeIf(v -> v == null);
      List<Finding> findings =
          List.of(amcheckFinding(problems, checked, complete), checksums(session));
      stats.put(
          "status",
          findings.stream().map(Finding::status).reduce(Status.OK, Status::worst).wireName());
      return new ProcedureResult(List.of(), stats, findings);
    }
  }

  private Optional<IntegrityTables.Position> previousPosition(String target) {
    return lastSucceeded
        .apply(target, Operation.CHECK_INTEGRITY.wireName())
        .map(RunReport::statistics)
        .map(s -> s.get(RESUME_AFTER))
        .flatMap(IntegrityTables.Position::fromMap);
  }

  private static List<Map<String, Object>> check(
      RunContext ctx, PgTools.Tool tool, IntegrityTables.Position table)
      throws ProcedureFailure, InterruptedException {
    ClientToolRun.Exit exit =
        ClientToolRun.run(
            tool,
            List.of("--no-password", "--table=" + table.pattern()),
            ctx.target(),
            Operation.CHECK_INTEGRITY.wireName(),
            ctx.cancellation());
    return switch (exit.code()) {
      case 0 -> List.of();
      case 2 -> {
        // pg_amcheck reports a function it may not call like a corrupt relation
        if (exit.stdout().contains("permission denied for function")) {
          throw new ProcedureFailure(
              ErrorCode.PERMISSION_DENIED,
              "the target's user "
                  + ctx.target().config().user()
                  + " may not call amcheck's functions ("
                  + exit.stdout()
                      .lines()
                      .filter(l -> l.contains("permission denied"))
                      .findFirst()
                      .orElse("")
                      .trim()
                  + "): grant it EXECUTE on bt_index_check and verify_heapam; nothing was found"
                  + " corrupt");
        }
        yield IntegrityProblems.parse(table.name(), exit.stdout());
      }
      default -> {
        if (exit.stderr().contains("no heap tables to check")) {
          yield List.of(); // dropped since it was listed
        }
        throw new ProcedureFailure(
            ErrorCode.TARGET_ERROR,
            "pg_amcheck could not check " + table.name() + ": " + exit.stderr());
      }
    };
  }

  private static Finding amcheckFinding(
      List<Map<String, Object>> problems, int checked, boolean complete) {
    String scope =
        Items.count(checked, "table", "tables")
            + " with their indexes"
            + (complete ? "" : " (the next run goes on after the last one)");
    if (problems.isEmpty()) {
      return new Finding(
          "heap-and-btree", Status.OK, 0, "count", null, "no corruption in " + scope, null);
    }
    return new Finding(
        "heap-and-btree",
        Status.CRITICAL,
        problems.size(),
        "count",
        new Finding.Thresholds(null, 1),
        Items.count(problems.size(), "corrupt relation", "corrupt relations")
            + " in "
            + scope
            + ": stop writes to them, restore the affected tables from a verified backup"
            + " (restore --mode tables) or rebuild a corrupt index (reindex)",
        problems.size() > 20 ? problems.subList(0, 20) : problems);
  }

  private static Finding checksums(MaintenanceSession session) throws ProcedureFailure {
    try (var st = session.connection().createStatement();
        var rs =
            st.executeQuery(
                "SELECT current_setting('data_checksums')::bool, checksum_failures,"
                    + " checksum_last_failure::text FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        return new Finding(
            "checksum-failures",
            Status.UNKNOWN,
            null,
            "count",
            null,
            "data checksums are off on this server, so pages are not verified when read (they are"
                + " switched on with initdb --data-checksums or pg_checksums --enable, offline)",
            null);
      }
      long failures = rs.getLong(2);
      return new Finding(
          "checksum-failures",
          failures > 0 ? Status.CRITICAL : Status.OK,
          failures,
          "count",
          new Finding.Thresholds(null, 1),
          failures > 0
              ? failures
                  + " checksum failures in this database, the last at "
                  + rs.getString(3)
                  + ": storage is corrupting pages; restore from a verified backup and check the"
                  + " disks"
              : "no checksum failures counted in this database",
          null);
    } catch (SQLException e) {
      throw session.failure("reading checksum failures from pg_stat_database", e);
    }
  }
}
