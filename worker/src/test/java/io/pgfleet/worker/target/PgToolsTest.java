package io.pgfleet.worker.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgToolsTest {
  private static void install(Path tool, Path calls, String version) throws Exception {
    Files.writeString(
        tool,
        "#!/bin/sh\necho run >> '" + calls + "'\necho 'pg_dump (PostgreSQL) " + version + "'\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void a_tool_is_asked_its_version_once_and_again_when_its_file_is_replaced(@TempDir Path dir)
      throws Exception {
    Path tool = dir.resolve("pg_dump");
    Path calls = dir.resolve("calls");
    install(tool, calls, "15.2");

    PgTools.Tool first = PgTools.find("pg_dump", dir, 15);
    PgTools.Tool second = PgTools.find("pg_dump", dir, 15);
    assertThat(first).isEqualTo(second);
    assertThat(first.version()).isEqualTo("15.2");
    assertThat(Files.readAllLines(calls)).hasSize(1);

    install(tool, calls, "16.10"); // another size: an upgrade in place
    PgTools.Tool upgraded = PgTools.find("pg_dump", dir, 15);
    assertThat(upgraded.major()).isEqualTo(16);
    assertThat(upgraded.version()).isEqualTo("16.10");
    assertThat(Files.readAllLines(calls)).hasSize(2);
  }
}
