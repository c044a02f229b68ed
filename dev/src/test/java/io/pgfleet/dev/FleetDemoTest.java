package io.pgfleet.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.local.PlatformSample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pgfleet demo --fleet}, run as a user would see it. */
class FleetDemoTest {
  @Test
  void the_fleet_demo_backs_up_all_17_databases_and_runs_every_purge_policy_from_one_fleet_file(
      @TempDir Path dir) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    boolean ok;
    try (FleetDemo demo =
        new FleetDemo(dir, new PrintStream(buffer, true, StandardCharsets.UTF_8))) {
      ok = demo.run();
      String file = Files.readString(dir.resolve("fleet.yaml"));
      assertThat(file).contains("{file: ").doesNotContain("{env: ");
      for (Path secret : Files.list(dir.resolve("secrets")).toList()) {
        assertThat(file)
            .as("no secret literal in the file")
            .doesNotContain(Files.readString(secret));
      }
    }
    String out = buffer.toString(StandardCharsets.UTF_8);

    assertThat(ok).as(out).isTrue();
    assertThat(out)
        .contains("17 of 17 databases backed up, 3 of 3 restore drills passed")
        .contains("17 targets;")
        .contains("fleet.yaml: ok")
        .contains("status page: http://127.0.0.1:")
        .contains("16 of 16 databases health-checked")
        .containsPattern("outbox-published\\s+17 of 17 targets")
        .containsPattern("outbox-failed\\s+17 of 17 targets")
        .containsPattern("idempotency\\s+17 of 17 targets")
        .containsPattern("audit-archive\\s+2 of 2 targets")
        .containsPattern("old-events\\s+1 of 1 targets")
        .containsPattern("outbox-published: \\d+ rows deleted");
    for (String db : PlatformSample.SERVICES.keySet()) {
      assertThat(out).containsPattern("succeeded " + db + "\\s+backup");
    }
  }
}
