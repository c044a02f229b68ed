package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An argument the command itself refuses (not the parser) is a usage error like any other: exit
 * code 2, the reason escaped, the subcommand's usage, and nothing sent (the Kafka address given
 * here accepts no connection).
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
        .doesNotContain("\u001b");
    assertThat(run.out()).doesNotContain("submitted");
  }

  @Test
  void a_backup_and_a_purge_refuse_an_invalid_target_the_same_way() {
    assertThat(CliRun.of("submit", "backup", "-t", "../etc", "-b", NOWHERE).code()).isEqualTo(2);
    assertThat(CliRun.of("submit", "purge", "-t", "a.b", "-p", "outbox", "-b", NOWHERE).code())
        .isEqualTo(2);
  }
}
