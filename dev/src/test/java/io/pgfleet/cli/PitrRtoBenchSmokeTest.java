package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.pitr.PitrRtoBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench pitr} on tiny data, so that it keeps working between full runs (here:
 * restore_command runs the test classpath through {@link PgfleetScript}).
 */
class PitrRtoBenchSmokeTest {
  @Test
  void the_pitr_scenario_restores_to_the_end_of_the_archive_and_the_drill_passes(@TempDir Path dir)
      throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path pgfleet = PgfleetScript.shared();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PitrRtoBench.run(
            new PitrRtoBench.Options(
                5_000_000, 1, Files.createDirectories(dir.resolve("pitr")), pgfleet.toString()),
            System.err)
        .print(new PrintStream(out, true, StandardCharsets.UTF_8));

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("RTO: restore-pitr")
        .contains("pg_verifybackup passed, pg_amcheck passed");
  }
}
