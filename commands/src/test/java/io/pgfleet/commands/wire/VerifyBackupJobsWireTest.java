package io.pgfleet.commands.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBackupParams;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A drill's {@code jobs: 1} (stream) travels as itself, distinct from no {@code jobs} (the worker
 * chooses), and both pass the verify-backup schema.
 */
class VerifyBackupJobsWireTest {
  private final CommandCodec codec = new CommandCodec();

  @Test
  void an_explicit_one_job_is_sent_and_read_back_as_one() throws Exception {
    byte[] sent = codec.encode(drill(new VerifyBackupParams(null, 1)));

    assertThat(new String(sent, StandardCharsets.UTF_8)).contains("\"jobs\":1");
    assertThat(codec.decode(sent).params(VerifyBackupParams.class).jobs()).isEqualTo(1);
  }

  @Test
  void a_drill_without_jobs_sends_none_and_is_read_back_without_them() throws Exception {
    byte[] sent = codec.encode(drill(VerifyBackupParams.latest()));

    assertThat(new String(sent, StandardCharsets.UTF_8)).doesNotContain("jobs");
    assertThat(codec.decode(sent).params(VerifyBackupParams.class).jobs()).isNull();
  }

  @Test
  void jobs_outside_one_to_sixty_four_are_refused() {
    assertThatThrownBy(() -> new VerifyBackupParams(null, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VerifyBackupParams(null, 65))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Command drill(VerifyBackupParams params) {
    return Commands.of(Operation.VERIFY_BACKUP, "order_db", params).source("urn:test").build();
  }
}
