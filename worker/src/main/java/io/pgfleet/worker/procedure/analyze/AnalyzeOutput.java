package io.pgfleet.worker.procedure.analyze;

import io.pgfleet.worker.procedure.maintenance.ServerMessages.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What ANALYZE VERBOSE reported (PostgreSQL 15 wording): for each table, the pages and rows it
 * sampled and the row count it estimated; tables the server skipped, as it worded them.
 */
record AnalyzeOutput(Map<String, Sample> tables, List<String> skipped) {

  /** The sample ANALYZE took of one table, keyed by {@code schema.table}. */
  record Sample(long pagesScanned, long pages, long sampleRows, long estimatedRows) {}

  private static final Pattern ANALYZING = Pattern.compile("^analyzing \"([^\"]+)\"");
  private static final Pattern SCANNED =
      Pattern.compile(
          "scanned (\\d+) of (\\d+) pages, containing \\d+ live rows and \\d+ dead rows;"
              + " (\\d+) rows in sample, (\\d+) estimated total rows");

  static AnalyzeOutput parse(List<Message> messages) {
    Map<String, Sample> tables = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    String current = null;
    for (Message m : messages) {
      Matcher analyzing = ANALYZING.matcher(m.text());
      Matcher scanned = SCANNED.matcher(m.text());
      if (analyzing.find()) {
        current = analyzing.group(1);
      } else if (scanned.find() && current != null) {
        tables.put(
            current,
            new Sample(
                Long.parseLong(scanned.group(1)),
                Long.parseLong(scanned.group(2)),
                Long.parseLong(scanned.group(3)),
                Long.parseLong(scanned.group(4))));
      } else if (m.isWarning() && m.text().startsWith("skipping")) {
        skipped.add(m.text());
      }
    }
    return new AnalyzeOutput(tables, skipped);
  }
}
