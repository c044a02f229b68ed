package io.pgfleet.worker.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.wire.CommandCodec;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.target.TargetDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a refusal for an unknown target tells whoever sent it (no server needed). */
class UnknownTargetTest {
  private final Topics topics = Topics.defaults();

  @Test
  void an_unknown_target_is_refused_without_listing_the_configured_ones() {
    Admission admission =
        new Admission(
            topics,
            Map.of("payroll_db", new TargetDatabase(target("payroll_db"))),
            Map.of(),
            SecuritySettings.defaults());
    Command command = Commands.backup("ghost_db").build();

    Verdict verdict =
        admission.admit(topics.commands("ghost_db"), new CommandCodec().encode(command));

    Verdict.Rejected rejected = (Verdict.Rejected) verdict;
    assertThat(rejected.error().code()).isEqualTo("UNKNOWN_TARGET");
    assertThat(rejected.error().message()).contains("ghost_db").doesNotContain("payroll_db");
  }

  private static TargetConfig target(String name) {
    return TargetConfig.builder(name)
        .host("localhost")
        .user("maintenance")
        .password(Secret.literal("unused"))
        .build();
  }
}
