package io.pgfleet.worker.wal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent tells clusters apart by the system identifier pg_controldata prints. */
class ClusterIdTest {
  @Test
  void the_identifier_is_pg_controldatas_from_pg_control_and_from_the_wal_segments_alike(
      @TempDir Path dir) throws Exception {
    LocalPostgres shared = LocalStack.shared().postgres();
    try (LocalPostgres other = LocalPostgres.start(dir.resolve("other"))) {
      for (LocalPostgres pg : List.of(shared, other)) {
        Path pgWal = pg.dataDir().resolve("pg_wal");
        String printed = controldata(pg);
        assertThat(ClusterId.of(pgWal)).as(pg.dataDir().toString()).isEqualTo(printed);
        assertThat(ClusterId.fromSegments(pgWal)).contains(printed);
      }
      assertThat(ClusterId.of(other.dataDir().resolve("pg_wal")))
          .isNotEqualTo(ClusterId.of(shared.dataDir().resolve("pg_wal")));
    }
  }

  @Test
  void a_wal_directory_with_neither_pg_control_nor_a_written_segment_is_refused(@TempDir Path dir)
      throws Exception {
    Path pgWal = Files.createDirectories(dir.resolve("pg_wal"));
    Files.write(pgWal.resolve("000000010000000000000002"), new byte[8192]); // zero-filled ahead

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ClusterId.of(pgWal))
        .hasMessageContaining("cannot tell which PostgreSQL cluster --pg-wal " + pgWal);
  }

  /** "Database system identifier" as pg_controldata prints it. */
  private static String controldata(LocalPostgres pg) throws Exception {
    Process p =
        new ProcessBuilder(
                pg.binDir().resolve("pg_controldata").toString(), pg.dataDir().toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
    return out.lines()
        .filter(l -> l.startsWith("Database system identifier:"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst()
        .orElseThrow(() -> new AssertionError(out));
  }
}
