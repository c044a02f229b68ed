package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.scale.ScaleBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scale scenario on a small fleet, so that it keeps working between full runs. */
class ScaleBenchSmokeTest {
  @Test
  void the_scale_scenario_measures_the_idle_worker_and_a_schedule_firing(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Report report =
        ScaleBench.run(
            new ScaleBench.Options(20, 2, 2, dir, Duration.ofSeconds(1)),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(report.rows()).hasSize(9);
    assertThat(report.rows())
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().isEmpty()).isFalse();
              assertThat(r.baseline().isEmpty()).isTrue();
            });
    assertThat(report.rows().get(0).pgfleet().size()).isEqualTo(1); // the first firing
    assertThat(report.rows().get(1).pgfleet().size()).isEqualTo(1); // the later one
    assertThat(report.rows().get(0).pgfleet().median()).isPositive();
    assertThat(report.rows().get(3).pgfleet().median()).isPositive(); // resident memory
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("every target topic assigned")
        .contains("firing 2: 20 commands");
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.print(new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains("| first firing after the dispatcher started, s |")
        .contains("| worker start to every target topic assigned, s |")
        .contains("| idle worker CPU, % of one core |")
        .contains("machine: ");
  }
}
