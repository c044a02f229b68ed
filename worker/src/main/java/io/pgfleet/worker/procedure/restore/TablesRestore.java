package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RowCounts;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.sql.TableRef;
import io.pgfleet.worker.target.Catalog;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.SessionLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Restores selected tables into the target database, in one transaction: pg_restore writes the
 * selected entries as SQL and psql runs them with {@code --single-transaction}, preceded by the
 * TRUNCATE when one was asked for. A failure anywhere leaves the tables as they were.
 *
 * <p>Schema and data: the tables must not exist; they are created with their defaults, constraints,
 * indexes, triggers and owned sequences. Data only: the tables must exist, and be empty unless
 * {@code truncate} (destructive, confirmed) empties them first.
 */
final class TablesRestore {
  private final RunContext ctx;
  private final StoredBackup backup;
  private final LocalCopy copy;
  private final Restorer restorer;

  TablesRestore(RunContext ctx, EncryptionKeys keys, StoredBackup backup, LocalCopy copy) {
    this.ctx = ctx;
    this.backup = backup;
    this.copy = copy;
    this.restorer = new Restorer(ctx.target(), keys, ctx.cancellation());
  }

  Map<String, Object> restore(List<String> names, boolean dataOnly, boolean truncate)
      throws ProcedureFailure, InterruptedException {
    List<TableRef> tables = parse(names);
    for (TableRef t : tables) {
      if (!backup.manifest().rowsByTable().containsKey(t.toString())) {
        throw new ProcedureFailure(
            ErrorCode.UNKNOWN_OBJECT, "the backup " + backup.uri() + " holds no table " + t);
      }
    }
    try (Connection c = ctx.target().connect("restore", SessionLimits.NONE)) {
      check(c, tables, dataOnly, truncate);
      int major = c.getMetaData().getDatabaseMajorVersion();
      PgTools.Tool pgRestore = restorer.tool(backup, major);
      PgTools.Tool psql = psql(major);
      String toc = pass(pgRestore, List.of("--list"));
      String ddl = dataOnly ? "" : pass(pgRestore, List.of("--schema-only", "--file=-"));
      List<String> useList = TableSelection.useList(toc, ddl, tables, dataOnly);
      List<String[]> foreignKeys = dataOnly ? foreignKeys(c, tables) : List.of();
      load(pgRestore, psql, useList, tables, foreignKeys, dataOnly, truncate);
      Map<String, Long> counts = RowCounts.count(c, tables);
      Map<String, Long> expected = new LinkedHashMap<>();
      tables.forEach(t -> expected.put(t.toString(), Drill.expected(backup).get(t.toString())));
      List<String> differences = RowCounts.differences(expected, counts);
      if (!differences.isEmpty()) {
        throw new ProcedureFailure(
            ErrorCode.VERIFICATION_FAILED,
            "the restored tables differ from the manifest: " + String.join("; ", differences));
      }
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("database", ctx.target().config().database());
      stats.put("tables", tables.stream().map(TableRef::toString).collect(Collectors.joining(",")));
      stats.put("dataOnly", dataOnly);
      stats.put("truncated", truncate);
      stats.put("rows", DatabaseRestore.sum(counts));
      return stats;
    } catch (SQLException e) {
      throw new ProcedureFailure(
          ErrorCode.TARGET_ERROR, "restoring tables failed: " + e.getMessage(), e);
    }
  }

  private static List<TableRef> parse(List<String> names) throws ProcedureFailure {
    try {
      return names.stream().map(TableRef::parse).distinct().toList();
    } catch (IllegalArgumentException e) {
      throw new ProcedureFailure(ErrorCode.INVALID_COMMAND, e.getMessage(), e);
    }
  }

  private static void check(Connection c, List<TableRef> tables, boolean dataOnly, boolean truncate)
      throws ProcedureFailure, SQLException {
    for (TableRef t : tables) {
      if (!dataOnly) {
        if (exists(c, t)) {
          throw new ProcedureFailure(
              ErrorCode.RESTORE_CONFLICT,
              "table "
                  + t
                  + " exists: a schema-and-data restore creates it; drop or rename it first, or"
                  + " restore with dataOnly");
        }
        continue;
      }
      Catalog.requireTable(c, t);
      if (!truncate && hasRows(c, t)) {
        throw new ProcedureFailure(
            ErrorCode.RESTORE_CONFLICT,
            "table "
                + t
                + " is not empty: a data-only restore loads empty tables; add truncate (with"
                + " confirm) to empty it first");
      }
    }
  }

  private static boolean exists(Connection c, TableRef t) throws SQLException {
    try {
      Catalog.requireTable(c, t);
      return true;
    } catch (ProcedureFailure missing) {
      return false;
    }
  }

  /**
   * Foreign keys of the selected tables: the table and constraint (quoted), and the definition as
   * the target's own catalog prints it.
   */
  private static List<String[]> foreignKeys(Connection c, List<TableRef> tables)
      throws SQLException {
    List<String[]> keys = new ArrayList<>();
    try (Statement st = c.createStatement()) {
      st.execute("SET search_path TO ''"); // definitions then name every table with its schema
    }
    try (var ps =
        c.prepareStatement(
            "SELECT n.nspname, t.relname, k.conname, pg_get_constraintdef(k.oid)"
                + " FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid"
                + " JOIN pg_namespace n ON n.oid = t.relnamespace"
                + " WHERE k.contype = 'f' AND n.nspname = ? AND t.relname = ? ORDER BY k.conname")) {
      for (TableRef t : tables) {
        ps.setString(1, t.schema());
        ps.setString(2, t.table());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            keys.add(
                new String[] {
                  new TableRef(rs.getString(1), rs.getString(2)).sql(),
                  TableRef.quote(rs.getString(3)),
                  rs.getString(4)
                });
          }
        }
      }
    } finally {
      try (Statement st = c.createStatement()) {
        st.execute("RESET search_path");
      }
    }
    return keys;
  }

  private static boolean hasRows(Connection c, TableRef t) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM " + t.sql() + ")")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  /** Runs pg_restore over the archive for its output (the list, or the DDL). */
  private String pass(PgTools.Tool pgRestore, List<String> arguments)
      throws ProcedureFailure, InterruptedException {
    try (BackupReader reader = copy.reader()) {
      return restorer.run(reader, pgRestore, copy.with(arguments, false), Map.of(), false).stdout();
    } catch (IOException e) {
      throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, e.getMessage(), e);
    }
  }

  private void load(
      PgTools.Tool pgRestore,
      PgTools.Tool psql,
      List<String> useList,
      List<TableRef> tables,
      List<String[]> foreignKeys,
      boolean dataOnly,
      boolean truncate)
      throws ProcedureFailure, InterruptedException {
    Path list = null;
    try {
      list = Files.createTempFile(copy.scratchDirectory(), "pgfleet-use-list-", ".txt");
      Files.write(list, useList);
      List<String> restoreArgs =
          new ArrayList<>(
              List.of("--use-list=" + list, "--file=-", "--no-owner", "--no-privileges"));
      if (dataOnly) {
        restoreArgs.add("--data-only");
      }
      List<String> psqlCommand =
          new ArrayList<>(
              List.of(
                  psql.path().toString(),
                  "--no-psqlrc",
                  "--quiet",
                  "--no-password",
                  "--single-transaction",
                  "--set=ON_ERROR_STOP=1"));
      // The archive loads tables in name order, not in foreign-key order: the selected tables'
      // foreign keys are dropped and re-added (and so re-checked) inside the same transaction.
      foreignKeys.forEach(
          fk -> psqlCommand.add("--command=ALTER TABLE " + fk[0] + " DROP CONSTRAINT " + fk[1]));
      if (truncate) {
        String names = tables.stream().map(TableRef::sql).collect(Collectors.joining(", "));
        psqlCommand.add("--command=TRUNCATE " + names);
      }
      psqlCommand.add("--file=-");
      foreignKeys.forEach(
          fk ->
              psqlCommand.add(
                  "--command=ALTER TABLE " + fk[0] + " ADD CONSTRAINT " + fk[1] + " " + fk[2]));
      List<String> pgRestoreArgs = copy.with(restoreArgs, false);
      PgRestore process =
          new PgRestore(
              pgRestore, pgRestoreArgs, ctx.target().libpqEnvironment("restore"), psqlCommand);
      try (BackupReader reader = copy.reader()) {
        restorer.run(reader, process, false);
      }
    } catch (IOException e) {
      throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, e.getMessage(), e);
    } finally {
      BackupReader.deleteQuietly(list);
    }
  }

  private PgTools.Tool psql(int serverMajor) throws ProcedureFailure {
    try {
      return PgTools.find("psql", ctx.target().config().pgBinDir(), serverMajor);
    } catch (IllegalStateException e) {
      throw new ProcedureFailure(ErrorCode.CLIENT_TOOL_UNSUITABLE, e.getMessage(), e);
    }
  }
}
