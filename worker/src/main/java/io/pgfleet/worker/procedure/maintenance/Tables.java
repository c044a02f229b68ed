package io.pgfleet.worker.procedure.maintenance;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.sql.TableRef;
import io.pgfleet.worker.target.Catalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Table names from a command, checked by pattern and against the target's catalog. */
public final class Tables {
  private Tables() {}

  /**
   * Every name as a table that exists; the first bad or missing one fails the run before any work
   * starts.
   */
  public static List<TableRef> resolve(Connection c, List<String> names)
      throws ProcedureFailure, SQLException {
    List<TableRef> tables = new ArrayList<>();
    for (String name : names) {
      TableRef table = parse(name);
      Catalog.requireTable(c, table);
      if (!tables.contains(table)) {
        tables.add(table);
      }
    }
    return tables;
  }

  public static TableRef parse(String name) throws ProcedureFailure {
    try {
      return TableRef.parse(name);
    } catch (IllegalArgumentException e) {
      throw new ProcedureFailure(ErrorCode.INVALID_COMMAND, e.getMessage());
    }
  }
}
