package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.storage.Manifest;
import java.util.HashMap;
import java.util.Map;

/**
 * The manifest's tables by the name pg_restore prints ({@code schema.table}), to tell which table a
 * line of its verbose output is about.
 */
final class KnownTables {
  private final Map<String, Manifest.TableCount> byName = new HashMap<>();

  KnownTables(Manifest manifest) {
    manifest.tables().forEach(t -> byName.put(t.name(), t));
  }

  /** The table named {@code name}, or null when unknown (or ambiguous as printed). */
  Manifest.TableCount named(String name) {
    return byName.get(name);
  }

  /**
   * The table of {@code schema.table name} as pg_restore prints a constraint: the longest known
   * table the line starts with, or null.
   */
  Manifest.TableCount ofConstraint(String printed) {
    Manifest.TableCount table = null;
    for (Map.Entry<String, Manifest.TableCount> e : byName.entrySet()) {
      if (printed.startsWith(e.getKey() + " ")
          && (table == null || e.getKey().length() > table.name().length())) {
        table = e.getValue();
      }
    }
    return table;
  }
}
