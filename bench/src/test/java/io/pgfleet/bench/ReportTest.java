package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void medians_extremes_and_the_ratio_are_printed_with_whether_each_target_is_met() {
    Report report =
        new Report("demo")
            .row(
                "time, s",
                Samples.of(List.of(1.2, 1.0, 1.4)),
                Samples.of(List.of(1.0, 0.9, 2)),
                1.3)
            .row("p99, ms", Samples.of(List.of(9, 10, 11)), Samples.of(List.of(2, 3, 4)), 2)
            .bounded(
                "longest, ms", Samples.of(List.of(40, 50, 60)), Samples.of(List.of(900)), 1000);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("| time, s | 1.20 (1.00-1.40) | 1.00 (0.900-2.00) | 1.20x | <= 1.3x: met |")
        .contains(
            "| p99, ms | 10.0 (9.00-11.0) | 3.00 (2.00-4.00) | 3.33x | <= 2.0x: **not met** |")
        .contains("| longest, ms | 50.0 (40.0-60.0) | 900 (900-900) | 0.06x | <= 1000: met |");
  }

  @Test
  void a_quantity_without_baseline_has_no_ratio_and_a_fractional_target_keeps_two_digits() {
    Report report =
        new Report("demo")
            .measured("peak heap, MB", Samples.of(List.of(80, 90, 100)))
            .row("time, s", Samples.of(List.of(1.0)), Samples.of(List.of(2.0)), 1 / 1.5);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    report.print(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(report.rows().get(0).met()).isTrue();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("| peak heap, MB | 90.0 (80.0-100) |  |  |  |")
        .contains("| time, s | 1.00 (1.00-1.00) | 2.00 (2.00-2.00) | 0.50x | <= 0.67x: met |");
  }

  @Test
  void percentiles_use_the_nearest_rank() {
    Samples s = Samples.of(List.of(5, 1, 4, 2, 3, 6, 7, 8, 9, 10));

    assertThat(s.median()).isEqualTo(5.5);
    assertThat(Samples.of(List.of(3, 1, 2)).median()).isEqualTo(2);
    assertThat(s.percentile(99)).isEqualTo(10);
    assertThat(s.min()).isEqualTo(1);
    assertThat(s.max()).isEqualTo(10);
  }
}
