package io.pgfleet.worker.procedure.vacuum;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VacuumParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.maintenance.MaintenanceSession;
import io.pgfleet.worker.procedure.maintenance.ServerMessages.Message;
import io.pgfleet.worker.procedure.maintenance.Tables;
import io.pgfleet.worker.sql.TableRef;
import io.pgfleet.worker.target.SessionLimits;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * VACUUM of the whole database or of listed tables, with statistics: dead tuples before and after
 * (pg_stat_user_tables), row versions and pages removed (VERBOSE output), sizes. The whole database
 * is vacuumed with SKIP_LOCKED, so a busy table is skipped and reported rather than waited for;
 * listed tables wait up to the lock timeout, and a table that could not be vacuumed fails the run.
 * VACUUM FULL needs the target's permission and a visible disk with room for the biggest table.
 */
public final class VacuumProcedure implements Procedure {
  /** Long enough for big tables; a short lock wait, since FULL queues ahead of every reader. */
  static final SessionLimits DEFAULTS =
      new SessionLimits(Duration.ofHours(6), Duration.ofSeconds(5));

  @Override
  public Operation operation() {
    return Operation.VACUUM;
  }

  /** Listed tables without FULL are light; the whole database, or FULL, is heavy. */
  @Override
  public boolean heavy(Command command) {
    VacuumParams params = command.params(VacuumParams.class);
    return params.full() || params.tables().isEmpty();
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    VacuumParams params = ctx.command().params(VacuumParams.class);
    if (params.full() && !ctx.target().config().maintenance().allowVacuumFull()) {
      throw fullNotAllowed(ctx.command().target());
    }
    try (MaintenanceSession session = MaintenanceSession.open(ctx, Operation.VACUUM, DEFAULTS)) {
      List<TableRef> tables = resolve(session, params);
      Map<TableRef, TableStats> before = read(session, tables);
      String diskCheck = params.full() ? checkDisk(session, before) : null;
      List<Message> messages = new ArrayList<>();
      List<TableRef> notDone = new ArrayList<>();
      if (tables.isEmpty()) {
        messages.addAll(vacuum(session, params, null));
      } else {
        for (TableRef table : tables) {
          vacuumListed(session, params, table, messages, notDone);
        }
      }
      VacuumOutput output = VacuumOutput.parse(messages);
      requireAllDone(session, tables, notDone, output);
      Map<TableRef, TableStats> after = read(session, tables);
      return new ProcedureResult(
          List.of(), VacuumReport.statistics(params, tables, before, after, output, diskCheck));
    }
  }

  private static List<TableRef> resolve(MaintenanceSession session, VacuumParams params)
      throws ProcedureFailure {
    try {
      return Tables.resolve(session.connection(), params.tables());
    } catch (SQLException e) {
      throw session.failure("looking up the tables to vacuum", e);
    }
  }

  private static Map<TableRef, TableStats> read(MaintenanceSession session, List<TableRef> tables)
      throws ProcedureFailure {
    try {
      return TableStats.read(session.connection(), tables);
    } catch (SQLException e) {
      throw session.failure("reading pg_stat_user_tables", e);
    }
  }

  private static String checkDisk(MaintenanceSession session, Map<TableRef, TableStats> tables)
      throws ProcedureFailure {
    try {
      return DiskSpace.requireRoomFor(session.connection(), tables);
    } catch (SQLException e) {
      throw session.failure("checking free disk space", e);
    }
  }

  private static void vacuumListed(
      MaintenanceSession session,
      VacuumParams params,
      TableRef table,
      List<Message> messages,
      List<TableRef> notDone)
      throws ProcedureFailure, InterruptedException {
    try {
      messages.addAll(vacuum(session, params, table));
    } catch (ProcedureFailure f) {
      if (f.code() != ErrorCode.LOCK_TIMEOUT) {
        throw f;
      }
      notDone.add(table); // the others are still worth doing; the run fails at the end
    }
  }

  private static List<Message> vacuum(MaintenanceSession session, VacuumParams params, TableRef t)
      throws ProcedureFailure, InterruptedException {
    String sql = "VACUUM (" + options(params, t == null) + ")" + (t == null ? "" : " " + t.sql());
    try {
      return session.execute(sql);
    } catch (SQLException e) {
      throw session.failure(t == null ? "VACUUM of the database" : "VACUUM of " + t, e);
    }
  }

  static String options(VacuumParams params, boolean wholeDatabase) {
    List<String> options = new ArrayList<>(List.of("VERBOSE"));
    if (params.full()) {
      options.add("FULL");
    }
    if (params.freeze()) {
      options.add("FREEZE");
    }
    if (params.analyze()) {
      options.add("ANALYZE");
    }
    if (wholeDatabase) {
      options.add("SKIP_LOCKED");
    }
    return String.join(", ", options);
  }

  private static void requireAllDone(
      MaintenanceSession session, List<TableRef> tables, List<TableRef> notDone, VacuumOutput out)
      throws ProcedureFailure {
    if (!notDone.isEmpty()) {
      throw new ProcedureFailure(
          ErrorCode.LOCK_TIMEOUT,
          "could not lock "
              + notDone
              + " within the lock timeout ("
              + session.limits().lockTimeout().toSeconds()
              + "s); the other "
              + (tables.size() - notDone.size())
              + " table(s) were vacuumed. Send the vacuum again later, or end the session that"
              + " holds the lock (health-check shows blocking sessions)");
    }
    if (!tables.isEmpty() && !out.skipped().isEmpty()) {
      throw new ProcedureFailure(
          ErrorCode.PERMISSION_DENIED,
          "the server skipped tables: "
              + String.join("; ", out.skipped())
              + ". The target's user must own them or the database");
    }
  }

  private static ProcedureFailure fullNotAllowed(String target) {
    return new ProcedureFailure(
        ErrorCode.OPERATION_NOT_ALLOWED,
        "vacuum full locks each table against reads and writes while it is rewritten, and target '"
            + target
            + "' does not allow it: set targets."
            + target
            + ".allow.vacuumFull: true in the worker config if it should, or vacuum without full");
  }
}
