package io.pgfleet.cli.client;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunReport;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** One readable line per result event. */
public final class ResultPrinter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final PrintStream out;
  private final boolean everyFinding;

  public ResultPrinter(PrintStream out) {
    this(out, false);
  }

  /**
   * @param everyFinding also the findings that are ok, each with its items (a health check of the
   *     checks named with --check); otherwise only the findings that are not ok
   */
  public ResultPrinter(PrintStream out, boolean everyFinding) {
    this.out = out;
    this.everyFinding = everyFinding;
  }

  public void print(ResultEvent event) {
    out.println(line(event));
    if (event.data().findings() != null) {
      for (Finding f : event.data().findings()) {
        if (everyFinding || f.status() != Finding.Status.OK) {
          out.printf("           %-8s %-22s %s%n", f.status().wireName(), f.check(), f.message());
        }
        if (everyFinding && f.items() != null) {
          for (Map<String, Object> item : f.items()) {
            out.println("             - " + item(item));
          }
        }
      }
    }
    if (event.data().artifacts() != null) {
      for (Artifact a : event.data().artifacts()) {
        out.printf(
            "           artifact %s%n           %s, sha256 %s%n           manifest %s%n",
            a.uri(), bytes(a.bytes()), a.sha256(), a.manifestUri());
      }
    }
  }

  public static String line(ResultEvent event) {
    RunReport r = event.data();
    String head =
        String.format(
            "%s  %-9s %-22s %-8s %s",
            TIME.format(event.time()),
            event.outcome().wireName(),
            event.subject(),
            r.operation(),
            r.commandId() == null ? "(no id)" : r.commandId());
    return head + detail(event);
  }

  private static String detail(ResultEvent event) {
    RunReport r = event.data();
    return switch (event.outcome()) {
      case STARTED -> "  attempt " + r.attempt() + " on " + r.worker();
      case PROGRESS -> "  " + bytes(r.progress().bytesDone()) + rate(r.progress().bytesPerSecond());
      case SUCCEEDED -> "  in " + seconds(r.durationMs()) + statistics(r);
      case FAILED, REJECTED -> "  " + r.error().code() + ": " + r.error().message();
      case EXPIRED -> "  expired at " + r.expiresAt() + ", not executed";
      case DUPLICATE -> "  already " + r.original().outcome() + ", not executed again";
    };
  }

  private static String statistics(RunReport r) {
    if (r.statistics() != null && r.statistics().containsKey("rowsDeleted")) {
      Map<String, Object> s = r.statistics();
      return String.format(
          Locale.ROOT,
          "  (%s: %s rows deleted, %s archived, %s %s, longest transaction %s ms)",
          s.get("policy"),
          s.get("rowsDeleted"),
          s.get("rowsArchived"),
          s.get("batches"),
          "1".equals(String.valueOf(s.get("batches"))) ? "batch" : "batches",
          s.get("longestTransactionMs"));
    }
    if (r.statistics() != null && r.statistics().containsKey("sessionsTerminated")) {
      return "  ("
          + r.statistics().get("database")
          + " replaced, "
          + r.statistics().get("sessionsTerminated")
          + " sessions terminated, "
          + r.statistics().get("rows")
          + " rows)";
    }
    if (r.statistics() != null && r.statistics().containsKey("deleted")) {
      return "  (kept "
          + r.statistics().get("kept")
          + ", deleted "
          + r.statistics().get("deleted")
          + ")";
    }
    if (r.statistics() != null && r.statistics().containsKey("wouldDelete")) {
      return "  (dry run: kept "
          + r.statistics().get("kept")
          + ", would delete "
          + r.statistics().get("wouldDelete")
          + ")";
    }
    if (r.statistics() != null
        && r.statistics().containsKey("sha256Verified")
        && "verify-backup".equals(r.operation())) {
      // contentVerified: every table's rows, bytes and hash; otherwise its row count only
      boolean content = Boolean.TRUE.equals(r.statistics().get("contentVerified"));
      return "  (drill passed: sha256 verified, "
          + (content ? "the content of " : "the row counts of ")
          + r.statistics().get("tables")
          + " tables ("
          + r.statistics().get("rows")
          + " rows) equal to the manifest)";
    }
    return Summaries.of(r);
  }

  private static String item(Map<String, Object> item) {
    StringBuilder line = new StringBuilder();
    item.forEach((k, v) -> line.append(line.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
    return line.toString();
  }

  private static String rate(Double bytesPerSecond) {
    return bytesPerSecond == null ? "" : " at " + bytes(bytesPerSecond.longValue()) + "/s";
  }

  private static String seconds(Long millis) {
    return millis == null ? "?" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    int unit = (63 - Long.numberOfLeadingZeros(n)) / 10;
    return String.format(
        Locale.ROOT, "%.1f %sB", n / (double) (1L << (unit * 10)), " KMGTPE".charAt(unit));
  }
}
