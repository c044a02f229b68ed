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

  @Test
  void a_cleanup_of_rarely_called_statements_says_how_many_of_how_many_and_below_what() {
    Map<String, Object> dry =
        Map.of(
            "dryRun", true, "statementsBefore", 40, "callsBelow", 10, "statementsWouldBeReset", 7);
    Map<String, Object> done =
        Map.of("dryRun", false, "statementsBefore", 40, "callsBelow", 10, "statementsReset", 7);

    assertThat(statementSummary(dry))
        .isEqualTo("  (dry run: 7 of 40 statements called fewer than 10 times would be reset)");
    assertThat(statementSummary(done))
        .isEqualTo("  (7 of 40 statements called fewer than 10 times reset)");
    assertThat(statementSummary(Map.of("dryRun", false, "statementsReset", 40)))
        .isEqualTo("  (40 statements reset)");
  }

  private static String statementSummary(Map<String, Object> statistics) {
    return Summaries.of(
        RunReport.builder("reset-statement-stats", "w1").statistics(statistics).build());
  }
}
