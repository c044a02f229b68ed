package io.pgfleet.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.result.RunReport;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummariesTest {

  private static String terminateSummary(String action) {
    return Summaries.of(
        RunReport.builder("terminate-backends", "w1")
            .statistics(Map.of("dryRun", false, "signalled", 1, "action", action, "spared", 2))
            .build());
  }

  @Test
  void terminate_backends_says_what_happened_to_the_sessions_in_plain_english() {
    assertThat(terminateSummary("terminate")).isEqualTo("  (1 terminated, spared 2)");
    assertThat(terminateSummary("cancel")).isEqualTo("  (1 cancelled, spared 2)");
  }
}
