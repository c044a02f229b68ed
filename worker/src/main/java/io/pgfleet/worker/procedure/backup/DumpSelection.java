package io.pgfleet.worker.procedure.backup;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.sql.TableRef;
import io.pgfleet.worker.storage.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which tables a backup holds: all, only some ({@code includeTables}) or all but some ({@code
 * excludeTables}). The manifest counts exactly the tables the dump holds.
 */
record DumpSelection(List<TableRef> include, List<TableRef> exclude) {

  static DumpSelection of(BackupParams params) throws ProcedureFailure {
    try {
      return new DumpSelection(
          params.includeTables().stream().map(TableRef::parse).toList(),
          params.excludeTables().stream().map(TableRef::parse).toList());
    } catch (IllegalArgumentException e) {
      throw new ProcedureFailure(ErrorCode.UNKNOWN_OBJECT, e.getMessage(), e);
    }
  }

  /** Every table the command names, which must exist. */
  List<TableRef> named() {
    List<TableRef> all = new ArrayList<>(include);
    all.addAll(exclude);
    return all;
  }

  /**
   * pg_dump patterns for the selection. Each name is double-quoted in the pattern so that it
   * matches exactly that table ({@code --strict-names}: a name that matches nothing fails).
   */
  List<String> pgDumpArguments() {
    List<String> args = new ArrayList<>();
    include.forEach(t -> args.add("--table=" + t.sql()));
    exclude.forEach(t -> args.add("--exclude-table=" + t.sql()));
    if (!include.isEmpty()) {
      args.add("--strict-names");
    }
    return args;
  }

  List<Manifest.TableCount> filter(List<Manifest.TableCount> counts) {
    Set<String> in = names(include);
    Set<String> out = names(exclude);
    return counts.stream()
        .filter(c -> in.isEmpty() || in.contains(c.schema() + "." + c.table()))
        .filter(c -> !out.contains(c.schema() + "." + c.table()))
        .toList();
  }

  private static Set<String> names(List<TableRef> tables) {
    return tables.stream().map(TableRef::toString).collect(Collectors.toSet());
  }
}
