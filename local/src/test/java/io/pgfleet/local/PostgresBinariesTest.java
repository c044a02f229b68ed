package io.pgfleet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

  @Test
  void theHighestInstalledMajorVersionIsChosen(@TempDir Path root) throws IOException {
    fakeServer(root.resolve("13/bin"));
    fakeServer(root.resolve("15/bin"));
    fakeServer(root.resolve("9/bin"));
    Files.createDirectories(root.resolve("16/bin")); // client tools only, no initdb
    Files.createDirectories(root.resolve("common/bin"));

    assertThat(PostgresBinaries.locate(null, root)).isEqualTo(root.resolve("15/bin"));
  }

  @Test
  void theOverrideWinsOverInstalledVersions(@TempDir Path root) throws IOException {
    fakeServer(root.resolve("15/bin"));
    Path custom = fakeServer(root.resolve("custom"));

    assertThat(PostgresBinaries.locate(custom.toString(), root)).isEqualTo(custom);
  }

  @Test
  void withoutServerBinariesTheErrorSaysWhatToInstall(@TempDir Path root) {
    assertThatThrownBy(() -> PostgresBinaries.locate(null, root.resolve("missing")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("apt-get install -y postgresql-15")
        .hasMessageContaining("PGFLEET_PG_BIN");
  }

  @Test
  void anOverrideWithoutInitdbIsRejected(@TempDir Path root) {
    assertThatThrownBy(() -> PostgresBinaries.locate(root.toString(), root))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PGFLEET_PG_BIN");
  }

  private static Path fakeServer(Path bin) throws IOException {
    Files.createDirectories(bin);
    Path initdb = Files.createFile(bin.resolve("initdb"));
    Files.setPosixFilePermissions(initdb, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }
}
