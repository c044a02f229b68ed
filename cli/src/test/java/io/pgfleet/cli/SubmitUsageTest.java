package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An argument the command itself refuses (not the parser) is a usage error like any other: exit
 * code 2, the reason escaped, the subcommand's usage, and nothing sent (the Kafka and dispatcher
 * addresses given here accept no connection).
 */
class SubmitUsageTest {
  private static final String NOWHERE = "127.0.0.1:1";

  @Test
  void an_invalid_target_name_exits_2_with_the_reason_and_the_usage_before_anything_is_sent() {
    CliRun run = CliRun.of("submit", "analyze", "-t", "order db\u001b[2J", "-b", NOWHERE);

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("invalid target name 'order db\\u001b[2J'")
        .contains("Usage: pgfleet submit analyze")
        .doesNotContain("\u001b[2J");
    assertThat(run.out()).doesNotContain("submitted");
  }

  @Test
  void a_signer_without_its_key_and_a_duration_too_long_to_send_are_usage_errors() {
    CliRun signer =
        CliRun.of("submit", "analyze", "-t", "order_db", "--signer", "ops", "-b", NOWHERE);
    CliRun tooLong = checkIntegrityWithBudget("99999d");
    CliRun beyondDuration = checkIntegrityWithBudget("99999999999999999999d");

    assertThat(signer.code()).isEqualTo(2);
    assertThat(signer.err()).contains("--signer and --sign-key go together");
    assertThat(tooLong.code()).isEqualTo(2);
    assertThat(tooLong.err()).contains("--time-budget PT2399976H is too long");
    assertThat(beyondDuration.code()).isEqualTo(2);
    assertThat(beyondDuration.err()).contains("expected a duration like 30s");
  }

  @Test
  void watch_refuses_a_target_no_event_can_name_and_runs_a_missing_token_both_exit_2() {
    CliRun watch = CliRun.of("watch", "-t", "a b", "-b", NOWHERE);
    CliRun runs = CliRun.of("runs", "list", "--url", "http://127.0.0.1:1/", "--token", "");

    assertThat(watch.code()).isEqualTo(2);
    assertThat(watch.err()).contains("invalid target name 'a b'");
    assertThat(watch.out()).doesNotContain("watching");
    assertThat(runs.code()).isEqualTo(2);
    assertThat(runs.err()).contains("give an API token").contains("Usage: pgfleet runs list");
  }

  @Test
  void a_backup_and_a_purge_refuse_an_invalid_target_the_same_way() {
    assertThat(CliRun.of("submit", "backup", "-t", "../etc", "-b", NOWHERE).code()).isEqualTo(2);
    assertThat(CliRun.of("submit", "purge", "-t", "a.b", "-p", "outbox", "-b", NOWHERE).code())
        .isEqualTo(2);
  }

  private static CliRun checkIntegrityWithBudget(String budget) {
    return CliRun.of(
        "submit", "check-integrity", "-t", "order_db", "--time-budget", budget, "-b", NOWHERE);
  }
}
