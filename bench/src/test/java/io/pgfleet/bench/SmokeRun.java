package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A scenario run on tiny data: its report, the progress it logged, and the table it prints. */
record SmokeRun(Report report, String log, String table) {

  /** A scenario, given the stream its progress goes to. */
  @FunctionalInterface
  interface Scenario {
    Report run(PrintStream log) throws Exception;
  }

  static SmokeRun of(Scenario scenario) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Report report = scenario.run(new PrintStream(log, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.print(new PrintStream(table, true, StandardCharsets.UTF_8));
    return new SmokeRun(
        report, log.toString(StandardCharsets.UTF_8), table.toString(StandardCharsets.UTF_8));
  }

  /** Every row has a positive median on both sides. */
  SmokeRun bothSidesMeasured(int rows) {
    assertThat(report.rows()).hasSize(rows);
    assertThat(report.rows())
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().median()).isPositive();
              assertThat(r.baseline().median()).isPositive();
            });
    return this;
  }
}
