package io.pgfleet.cli.client;

import io.pgfleet.commands.result.Progress;
import java.util.Locale;

/** A one-line progress bar for a long run: {@code [#######-------] 48% 120.0 MB of 250.0 MB}. */
public final class ProgressBar {
  static final int WIDTH = 24;

  private ProgressBar() {}

  public static String render(String label, Progress p) {
    String rate =
        p.bytesPerSecond() == null
            ? ""
            : "  " + ResultPrinter.bytes(p.bytesPerSecond().longValue()) + "/s";
    if (p.bytesEstimated() == null || p.bytesEstimated() <= 0) {
      return String.format(
          Locale.ROOT,
          "[%s]  %s%s  %s",
          "?".repeat(WIDTH),
          ResultPrinter.bytes(p.bytesDone()),
          rate,
          label);
    }
    double fraction = Math.min(1.0, p.bytesDone() / (double) p.bytesEstimated());
    int filled = (int) Math.round(fraction * WIDTH);
    return String.format(
        Locale.ROOT,
        "[%s%s] %3d%%  %s of %s%s  %s",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        Math.round(fraction * 100),
        ResultPrinter.bytes(p.bytesDone()),
        ResultPrinter.bytes(p.bytesEstimated()),
        rate,
        label);
  }
}
