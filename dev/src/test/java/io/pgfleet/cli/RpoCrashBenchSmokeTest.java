package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.pitr.RpoCrashBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench rpo --crash} on tiny data, so that it keeps working between full runs (here:
 * restore_command runs the test classpath through {@link PgfleetScript}).
 */
class RpoCrashBenchSmokeTest {
  @Test
  void after_a_sigkill_restore_pitr_holds_the_commits_up_to_the_last_streamed_partial(
      @TempDir Path dir) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path pgfleet = PgfleetScript.shared();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Report report =
        RpoCrashBench.run(
            new RpoCrashBench.Options(
                4,
                1,
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                1,
                Files.createDirectories(dir.resolve("rpo")),
                pgfleet.toString()),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    Report.Row lost = report.rows().get(0);
    assertThat(lost.pgfleet().size()).isEqualTo(1);
    assertThat(lost.pgfleet().max()).as(log.toString()).isLessThan(30.0);
    assertThat(lost.baseline().size()).isEqualTo(1);
  }
}
