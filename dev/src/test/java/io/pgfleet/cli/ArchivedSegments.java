package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.local.Directories;
import io.pgfleet.local.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the archive_command tests do to a server that archives: write full segments, wait until the
 * archiver has passed one, and fetch segments back with {@code pgfleet wal-fetch} to compare them
 * with the server's own {@code pg_wal} files.
 */
final class ArchivedSegments {
  private ArchivedSegments() {}

  /** Writes {@code count} segments (1,000 rows each, then a WAL switch); returns their names. */
  static List<String> write(LocalPostgres pg, int count) throws Exception {
    pg.execute("postgres", "CREATE TABLE IF NOT EXISTS filler (id int, pad text)");
    List<String> segments = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pg.execute(
          "postgres",
          "INSERT INTO filler SELECT g, repeat('x', 100) FROM generate_series(1, 1000) g");
      segments.add(query(pg, "SELECT pg_walfile_name(pg_switch_wal())"));
    }
    return segments;
  }

  /** Waits until the server's archiver reports {@code last} (or a later segment) archived. */
  static void awaitArchived(LocalPostgres pg, String last, Duration atMost) {
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                last.compareTo(
                        query(pg, "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver"))
                    <= 0);
  }

  /** Each segment fetched from {@code target}'s archive equals the server's file, byte for byte. */
  static void assertFetchedByteForByte(
      LocalPostgres pg, Path config, String target, List<String> segments) throws Exception {
    for (String segment : segments) {
      Path dir = Files.createTempDirectory("pgfleet-wal-fetch");
      Path fetched = dir.resolve(segment);
      try {
        assertThat(
                Main.run(
                    "wal-fetch",
                    "-c",
                    config.toString(),
                    "-t",
                    target,
                    segment,
                    fetched.toString()))
            .as(segment)
            .isZero();
        assertThat(Files.readAllBytes(fetched))
            .as(segment)
            .isEqualTo(Files.readAllBytes(pg.dataDir().resolve("pg_wal").resolve(segment)));
      } finally {
        Directories.deleteTree(dir);
      }
    }
  }

  static String query(LocalPostgres pg, String sql) throws Exception {
    try (Connection c = pg.connect("postgres");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
