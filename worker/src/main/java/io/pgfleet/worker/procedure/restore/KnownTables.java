package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.storage.Manifest;
import java.util.HashMap;
import java.util.Map;

/**
 * The manifest's tables by the name pg_restore prints ({@code schema.table}), to tell which table a
 * line of its verbose output is about. Two tables can print alike ({@code "a.b".c} and {@code
 * a."b.c"} both print {@code a.b.c}): such a name maps to neither, so neither is read early (one
 * could be read before its data is in); both are read once pg_restore is done.
 */
final class KnownTables {
  /** A name two tables print as maps to null. */
  private final Map<String, Manifest.TableCount> byName = new HashMap<>();

  KnownTables(Manifest manifest) {
    for (Manifest.TableCount t : manifest.tables()) {
      if (byName.containsKey(t.name())) {
        byName.put(t.name(), null);
      } else {
        byName.put(t.name(), t);
      }
    }
  }

  /** The table named {@code name}, or null when unknown (or ambiguous as printed). */
  Manifest.TableCount named(String name) {
    return byName.get(name);
  }

  /**
   * The table of {@code schema.table name} as pg_restore prints a constraint: the longest known
   * name the line starts with, or null (none, or that name is ambiguous).
   */
  Manifest.TableCount ofConstraint(String printed) {
    String longest = null;
    for (String name : byName.keySet()) {
      if (printed.startsWith(name + " ") && (longest == null || name.length() > longest.length())) {
        longest = name;
      }
    }
    return longest == null ? null : byName.get(longest);
  }
}
