package io.pgfleet.worker.procedure.integrity;

import io.pgfleet.worker.procedure.maintenance.Items;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * pg_amcheck's report of corruption: a line naming the relation (and block, offset), then its
 * indented details, e.g. {@code btree index "db.public.orders_pkey":} and {@code ERROR: item order
 * invariant violated}.
 */
final class IntegrityProblems {
  private static final int DETAIL_LIMIT = 500;

  private IntegrityProblems() {}

  static List<Map<String, Object>> parse(String table, String stdout) {
    List<Map<String, Object>> problems = new ArrayList<>();
    String where = null;
    StringBuilder detail = new StringBuilder();
    for (String line : stdout.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        add(problems, table, where, detail);
        where = line.endsWith(":") ? line.substring(0, line.length() - 1) : line;
        detail.setLength(0);
      } else if (detail.length() < DETAIL_LIMIT) {
        detail.append(detail.length() == 0 ? "" : " ").append(line.trim());
      }
    }
    add(problems, table, where, detail);
    return problems;
  }

  private static void add(
      List<Map<String, Object>> problems, String table, String where, StringBuilder detail) {
    if (where != null) {
      String text =
          detail.length() > DETAIL_LIMIT ? detail.substring(0, DETAIL_LIMIT) : detail.toString();
      problems.add(Items.of("table", table, "relation", where, "detail", text));
    }
  }
}
