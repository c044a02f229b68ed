package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.storage.Manifest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How the drill splits reading a restored database back between two pg_dump processes, so that both
 * cores work once pg_restore is done: the manifest's tables, largest first, each go to the side
 * with fewer bytes so far. One side names its tables ({@code --table}); the other dumps everything
 * else ({@code --exclude-table} of those), so a table the manifest does not know still shows up.
 * Patterns are double-quoted, so every character of a name is literal.
 */
record ReadBackSplit(List<String> named, List<String> rest) {

  /** The pg_dump arguments of each side: one list of arguments per process. */
  List<List<String>> arguments() {
    if (named.isEmpty()) {
      return List.of(List.of());
    }
    List<String> include = new ArrayList<>();
    List<String> exclude = new ArrayList<>();
    for (String pattern : named) {
      include.add("--table=" + pattern);
      exclude.add("--exclude-table=" + pattern);
    }
    return List.of(include, exclude);
  }

  static ReadBackSplit of(List<Manifest.TableCount> tables) {
    List<Manifest.TableCount> bySize = new ArrayList<>(tables);
    bySize.sort(Comparator.comparingLong(ReadBackSplit::weight).reversed());
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    long bytesA = 0;
    long bytesB = 0;
    for (Manifest.TableCount t : bySize) {
      if (bytesA <= bytesB) {
        a.add(pattern(t));
        bytesA += weight(t);
      } else {
        b.add(pattern(t));
        bytesB += weight(t);
      }
    }
    if (b.isEmpty()) {
      return new ReadBackSplit(List.of(), a); // one table or none: one process
    }
    // the named side takes the fewer patterns; the other dumps all but those
    return a.size() <= b.size() ? new ReadBackSplit(a, b) : new ReadBackSplit(b, a);
  }

  private static long weight(Manifest.TableCount t) {
    return t.bytes() != null ? t.bytes() : t.rows();
  }

  /** {@code "schema"."table"}, each quote doubled: a pg_dump pattern matching that table only. */
  static String pattern(Manifest.TableCount t) {
    return quote(t.schema()) + "." + quote(t.table());
  }

  private static String quote(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
