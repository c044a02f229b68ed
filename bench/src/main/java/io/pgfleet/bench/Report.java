package io.pgfleet.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A scenario's result: per metric, pgfleet's and the baseline's runs side by side (median, min,
 * max) and the ratio of the medians, with the target where the issue sets one. Printed as a
 * Markdown table, ready for {@code bench/RESULTS.md}.
 */
public final class Report {
  private final String title;
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /**
   * One metric.
   *
   * @param target the largest acceptable ratio pgfleet / baseline (or, with {@code absolute},
   *     pgfleet's median), or NaN for none
   * @param baseline null for a quantity only pgfleet has (its memory, say)
   */
  public record Row(
      String metric, Samples pgfleet, Samples baseline, double target, boolean absolute) {
    public double ratio() {
      return baseline == null ? Double.NaN : pgfleet.median() / baseline.median();
    }

    /** Whether the target is met; true when there is none. */
    public boolean met() {
      if (Double.isNaN(target)) {
        return true;
      }
      return (absolute ? pgfleet.median() : ratio()) <= target;
    }
  }

  public Report(String title) {
    this.title = title;
  }

  public Report row(String metric, Samples pgfleet, Samples baseline, double maxRatio) {
    rows.add(new Row(metric, pgfleet, baseline, maxRatio, false));
    return this;
  }

  /** A metric whose target is an absolute bound on pgfleet's median. */
  public Report bounded(String metric, Samples pgfleet, Samples baseline, double maxValue) {
    rows.add(new Row(metric, pgfleet, baseline, maxValue, true));
    return this;
  }

  /** A quantity measured on pgfleet's side only, without baseline or target. */
  public Report measured(String metric, Samples pgfleet) {
    rows.add(new Row(metric, pgfleet, null, Double.NaN, false));
    return this;
  }

  public Report note(String line) {
    notes.add(line);
    return this;
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  public void print(PrintStream out) {
    out.println("### " + title);
    out.println();
    out.println(
        "| metric | pgfleet median (min-max) | baseline median (min-max) | pgfleet / baseline"
            + " | target |");
    out.println("| --- | --- | --- | --- | --- |");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %s | %s |%n",
          r.metric(),
          cell(r.pgfleet()),
          r.baseline() == null ? "" : cell(r.baseline()),
          Double.isNaN(r.ratio()) ? "" : String.format(Locale.ROOT, "%.2fx", r.ratio()),
          target(r));
    }
    out.println();
    notes.forEach(n -> out.println(n + "  "));
    out.println();
  }

  private static String target(Row r) {
    if (Double.isNaN(r.target())) {
      return "";
    }
    String bound =
        r.absolute()
            ? String.format(Locale.ROOT, "<= %s", number(r.target()))
            : String.format(
                Locale.ROOT,
                Math.rint(r.target() * 10) == r.target() * 10 ? "<= %.1fx" : "<= %.2fx",
                r.target());
    return bound + (r.met() ? ": met" : ": **not met**");
  }

  private static String cell(Samples s) {
    if (s.isEmpty()) {
      return "none";
    }
    return number(s.median()) + " (" + number(s.min()) + "-" + number(s.max()) + ")";
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return Math.abs(v) >= 100
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.3g", v);
  }
}
