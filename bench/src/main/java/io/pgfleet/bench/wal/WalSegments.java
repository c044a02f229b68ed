package io.pgfleet.bench.wal;

import io.pgfleet.local.LocalPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real WAL segments to archive: a writer fills a table with {@code segments} segments' worth of
 * rows (a fixed seed, text that compresses as table data does), each segment closed with
 * pg_switch_wal; the closed segments are then copied out of pg_wal (the bench server's max_wal_size
 * keeps them there), so both sides of the benchmark push the same files.
 */
final class WalSegments {
  static final long SEGMENT_BYTES = 16L * 1024 * 1024;
  private static final int ROWS_PER_SEGMENT = 90_000; // ~16 MiB of WAL for rows of ~150 bytes

  private WalSegments() {}

  static List<Path> generate(LocalPostgres pg, int segments, Path into)
      throws SQLException, IOException {
    Files.createDirectories(into);
    List<String> names = new ArrayList<>();
    try (Connection c = pg.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute("SELECT setseed(0.7)");
      st.execute(
          "CREATE TABLE IF NOT EXISTS bench_wal (id bigint, note text, amount numeric, at"
              + " timestamptz)");
      for (int i = 0; i < segments; i++) {
        st.execute(
            "INSERT INTO bench_wal SELECT g, md5(random()::text) || ' order ' || g,"
                + " round((random() * 1000)::numeric, 2), now() FROM generate_series(1, "
                + ROWS_PER_SEGMENT
                + ") g");
        try (ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
          rs.next();
          names.add(rs.getString(1));
        }
      }
      // no CHECKPOINT: it could recycle the segments before they are copied
    }
    Path walDir = pg.dataDir().resolve("pg_wal");
    List<Path> copied = new ArrayList<>();
    try (Stream<Path> files = Files.list(walDir)) {
      List<Path> closed =
          files
              .filter(f -> f.getFileName().toString().matches("[0-9A-F]{24}"))
              .filter(f -> names.contains(f.getFileName().toString()))
              .sorted()
              .toList();
      for (Path f : closed) {
        copied.add(Files.copy(f, into.resolve(f.getFileName())));
      }
    }
    if (copied.size() != segments) {
      throw new IllegalStateException(
          "expected " + segments + " closed segments in pg_wal, found " + copied.size());
    }
    return copied;
  }
}
