package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {
  private static final String BASE =
      """
      kafka: {bootstrapServers: "k:9092"}
      ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
      storage: {bucket: b}
      defaults: {host: h, user: u, password: {env: P}, retention: {keepLast: 7}}
      """;
  @TempDir Path dir;

  @Test
  void config_check_prints_each_value_with_its_origin_and_the_targets_that_drift()
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("fleet.yaml"),
            BASE + "targets:\n  a_db: {}\n  b_db: {retention: {keepLast: 2}}\n");

    CliRun run = CliRun.of("config", "check", file.toString());

    assertThat(run.code()).isZero();
    assertThat(run.out())
        .contains("a_db:", "  host: h   (defaults)", "  retention.keepLast: 2   (target)")
        .contains("policy drift: 1 target(s) deviate from the defaults")
        .contains("  b_db: retention.keepLast (target)")
        .contains(": ok");
  }

  @Test
  void config_check_lists_every_problem_with_its_path_and_exits_1() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("fleet.yaml"), BASE + "targets:\n  a_db: {retentoin: {keepLast: 2}}\n");

    CliRun run = CliRun.of("config", "check", file.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains("targets.a_db.retentoin: unknown key, did you mean 'retention'?");
  }

  @Test
  void config_check_lists_problems_found_past_the_schema_one_per_line() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("fleet.yaml"),
            BASE
                + "security: {trustedSigners: {ops: {publicKey: not-a-key}, sre: {publicKey: x}}}\n"
                + "targets:\n  a_db: {}\n");

    CliRun run = CliRun.of("config", "check", file.toString());

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.out())
        .contains(file + " has 2 problem(s):")
        .contains(
            "  - security.trustedSigners.ops.publicKey: ",
            "  - security.trustedSigners.sre.publicKey: ")
        .doesNotContain("has 1 problem(s)", "\n  - " + file);
  }
}
