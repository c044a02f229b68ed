package io.pgfleet.worker.procedure.vacuum;

import io.pgfleet.worker.procedure.maintenance.ServerMessages.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What VACUUM VERBOSE reported per table (PostgreSQL 15 wording): row versions and pages removed;
 * for VACUUM FULL, removable row versions. Tables the server skipped are listed as it worded them.
 */
record VacuumOutput(Map<String, Removed> tables, List<String> skipped) {

  /** Removed row versions and heap pages of one table, keyed by {@code schema.table}. */
  record Removed(long tuples, long pages) {}

  private static final Pattern FINISHED =
      Pattern.compile("finished vacuuming \"[^\".]+\\.([^\"]+)\"");
  private static final Pattern PAGES = Pattern.compile("pages: (\\d+) removed");
  private static final Pattern TUPLES = Pattern.compile("tuples: (\\d+) removed");
  private static final Pattern FULL =
      Pattern.compile("^\"([^\"]+)\": found (\\d+) removable, \\d+ nonremovable row versions");

  static VacuumOutput parse(List<Message> messages) {
    Map<String, Removed> tables = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    for (Message m : messages) {
      Matcher finished = FINISHED.matcher(m.text());
      Matcher full = FULL.matcher(m.text());
      if (finished.find()) {
        tables.merge(
            finished.group(1),
            new Removed(number(TUPLES, m.text()), number(PAGES, m.text())),
            (a, b) -> new Removed(a.tuples() + b.tuples(), a.pages() + b.pages()));
      } else if (full.find()) {
        tables.put(full.group(1), new Removed(Long.parseLong(full.group(2)), 0));
      } else if (m.isWarning() && m.text().startsWith("skipping")) {
        skipped.add(m.text());
      }
    }
    return new VacuumOutput(tables, skipped);
  }

  long tuplesRemoved() {
    return tables.values().stream().mapToLong(Removed::tuples).sum();
  }

  long pagesRemoved() {
    return tables.values().stream().mapToLong(Removed::pages).sum();
  }

  private static long number(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
