package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.procedure.maintenance.Items;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Sequences close to their end, measured against the narrower of the sequence's own maximum and the
 * column it feeds: an {@code integer} column fed by a {@code bigint} sequence runs out at 2^31
 * although the sequence would go on.
 */
final class SequenceCheck {
  private SequenceCheck() {}

  private static final String SEQUENCES =
      """
      WITH seq AS (
        SELECT c.oid, n.nspname || '.' || c.relname AS name, format_type(s.seqtypid, NULL) AS type,
               s.seqmax, s.seqmin, s.seqincrement,
               CASE WHEN has_sequence_privilege(c.oid, 'SELECT,USAGE')
                    THEN pg_sequence_last_value(c.oid) END AS last_value
        FROM pg_sequence s
        JOIN pg_class c ON c.oid = s.seqrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
      ), fed AS (
        SELECT d.objid AS seq, d.refobjid AS rel, d.refobjsubid AS att
        FROM pg_depend d
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
        UNION
        SELECT d.refobjid, ad.adrelid, ad.adnum
        FROM pg_depend d JOIN pg_attrdef ad ON ad.oid = d.objid
        WHERE d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass
      )
      SELECT seq.name, seq.type, seq.seqmax, seq.seqmin, seq.seqincrement, seq.last_value,
             tn.nspname || '.' || t.relname || '.' || a.attname, format_type(a.atttypid, NULL)
      FROM seq
      LEFT JOIN fed ON fed.seq = seq.oid
      LEFT JOIN pg_class t ON t.oid = fed.rel
      LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
      LEFT JOIN pg_attribute a ON a.attrelid = fed.rel AND a.attnum = fed.att
      """;

  /** How far one sequence is along what it may reach, for one column it feeds (or none). */
  record Usage(
      String sequence, String type, Long lastValue, long limit, String column, String columnType) {

    double percent() {
      return lastValue == null || limit == 0 ? 0 : 100.0 * lastValue / limit;
    }

    boolean columnNarrower() {
      return columnType != null && maxOf(columnType) < maxOf(type);
    }
  }

  static Finding check(Probe probe) throws SQLException {
    List<Usage> usages = new ArrayList<>();
    try (Statement st = probe.connection().createStatement();
        ResultSet rs = st.executeQuery(SEQUENCES)) {
      while (rs.next()) {
        usages.add(usage(rs));
      }
    }
    usages.sort(Comparator.comparingDouble(Usage::percent).reversed());
    double worst = usages.isEmpty() ? 0 : usages.get(0).percent();
    List<Map<String, Object>> items =
        usages.stream()
            .filter(u -> probe.notable(HealthLimit.SEQUENCE_EXHAUSTION, u.percent()))
            .map(
                u ->
                    Items.of(
                        "sequence", u.sequence(),
                        "type", u.type(),
                        "lastValue", u.lastValue(),
                        "limit", u.limit(),
                        "percent", Probe.compact(u.percent()),
                        "column", u.column(),
                        "columnType", u.columnType()))
            .toList();
    return probe.measured(HealthLimit.SEQUENCE_EXHAUSTION, worst, message(usages, items), items);
  }

  private static String message(List<Usage> usages, List<Map<String, Object>> items) {
    if (usages.isEmpty()) {
      return "no sequences";
    }
    Usage worst = usages.get(0);
    String text =
        String.format(
            java.util.Locale.ROOT,
            "%s has used %.1f%% of %s",
            worst.sequence(),
            worst.percent(),
            worst.columnNarrower()
                ? "the range of " + worst.columnType() + " column " + worst.column()
                : "its range");
    if (items.isEmpty()) {
      return text;
    }
    if (worst.columnNarrower()) {
      return text
          + ": the "
          + worst.type()
          + " sequence feeds an "
          + worst.columnType()
          + " column, which runs out first; ALTER the column to bigint before it does";
    }
    return text + ": widen the type or plan a new key before it runs out";
  }

  private static Usage usage(ResultSet rs) throws SQLException {
    String type = rs.getString(2);
    long max = rs.getLong(3);
    long min = rs.getLong(4);
    boolean ascending = rs.getLong(5) > 0;
    Long last = (Long) rs.getObject(6, Long.class);
    String columnType = rs.getString(8);
    long limit;
    if (ascending) {
      limit = columnType == null ? max : Math.min(max, maxOf(columnType));
    } else {
      limit = columnType == null ? min : Math.max(min, -maxOf(columnType) - 1);
    }
    return new Usage(rs.getString(1), type, last, limit, rs.getString(7), columnType);
  }

  /** The largest value a column or sequence of this integer type holds. */
  static long maxOf(String type) {
    return switch (type) {
      case "smallint" -> Short.MAX_VALUE;
      case "integer" -> Integer.MAX_VALUE;
      default -> Long.MAX_VALUE;
    };
  }
}
