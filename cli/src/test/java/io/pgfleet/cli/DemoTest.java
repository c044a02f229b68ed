package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run as a user would see it. */
class DemoTest {
  @Test
  void the_demo_backs_up_and_verifies_every_sample_database(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean ok;
    try (Demo demo = new Demo(dir, new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
      ok = demo.run();
    }
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertThat(ok).as(out).isTrue();
    assertThat(out)
        .contains("3 of 3 databases backed up, 3 restore drills passed, 3 artifacts verified")
        .contains("status page: http://127.0.0.1:")
        .contains("drill passed")
        .contains("3 of 3 databases health-checked, 5 of 5 retention purges done")
        .containsPattern("outbox-published: \\d+ rows deleted")
        .containsPattern("succeeded order_db\\s+backup")
        .containsPattern("succeeded payment_db\\s+backup")
        .containsPattern("succeeded warehouse_db\\s+backup");
    assertThat(out.lines().filter(l -> l.contains("sha256 matches the manifest")).count())
        .isEqualTo(3);
  }
}
