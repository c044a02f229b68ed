package io.pgfleet.worker.procedure.restore;

import java.util.ArrayList;
import java.util.List;

/**
 * A table's pages cut into {@code n} ranges of about the same size, each as the WHERE clause of a
 * TID range scan ({@code ctid >= '(a,0)' AND ctid < '(b,0)'}): together they cover every page once,
 * the first and last open-ended.
 */
final class PageRanges {
  private PageRanges() {}

  /** The number of parts: at most {@code parts}, each at least {@code minPartPages} pages. */
  static int count(long pages, int parts, long minPartPages) {
    return (int) Math.max(1, Math.min(parts, pages / Math.max(1, minPartPages)));
  }

  /** The WHERE clause of each of {@code n} parts of {@code pages} pages; "" for the whole table. */
  static List<String> of(long pages, int n) {
    List<String> ranges = new ArrayList<>();
    if (n == 1) {
      ranges.add("");
      return ranges;
    }
    for (int i = 0; i < n; i++) {
      long from = pages * i / n;
      long to = pages * (i + 1) / n;
      if (i == 0) {
        ranges.add(" WHERE ctid < '(" + to + ",0)'::tid");
      } else if (i == n - 1) {
        ranges.add(" WHERE ctid >= '(" + from + ",0)'::tid");
      } else {
        ranges.add(" WHERE ctid >= '(" + from + ",0)'::tid AND ctid < '(" + to + ",0)'::tid");
      }
    }
    return ranges;
  }
}
