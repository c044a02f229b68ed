package io.pgfleet.cli;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunReport;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** One readable line per result event. */
final class ResultPrinter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private final PrintStream out;

  ResultPrinter(PrintStream out) {
    this.out = out;
  }

  void print(ResultEvent event) {
    out.println(line(event));
    if (event.data().artifacts() != null) {
      for (Artifact a : event.data().artifacts()) {
        out.printf(
            "           artifact %s%n           %s, sha256 %s%n           manifest %s%n",
            a.uri(), bytes(a.bytes()), a.sha256(), a.manifestUri());
      }
    }
  }

  static String line(ResultEvent event) {
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
    Map<String, Object> s = r.statistics();
    if (s == null) {
      return "";
    }
    if (s.containsKey("rowsDeleted")) {
      return String.format(
          Locale.ROOT,
          "  (%s: %s rows deleted, %s archived, %s batches, longest transaction %s ms)",
          s.get("policy"),
          s.get("rowsDeleted"),
          s.get("rowsArchived"),
          s.get("batches"),
          s.get("longestTransactionMs"));
    }
    if (!s.containsKey("tables")) {
      return "";
    }
    return "  (" + s.get("tables") + " tables, " + s.get("rows") + " rows)";
  }

  private static String rate(Double bytesPerSecond) {
    return bytesPerSecond == null ? "" : " at " + bytes(bytesPerSecond.longValue()) + "/s";
  }

  private static String seconds(Long millis) {
    return millis == null ? "?" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    int unit = (63 - Long.numberOfLeadingZeros(n)) / 10;
    return String.format(
        Locale.ROOT, "%.1f %sB", n / (double) (1L << (unit * 10)), " KMGTPE".charAt(unit));
  }
}
