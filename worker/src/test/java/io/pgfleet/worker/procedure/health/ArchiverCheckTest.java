package io.pgfleet.worker.procedure.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.worker.config.MaintenanceSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runbooks' "disk space issues": an archiver that keeps failing, on a server that archives. */
class ArchiverCheckTest {

  @Test
  void a_failing_archive_command_is_critical_and_names_the_segment_it_failed_on(@TempDir Path dir)
      throws Exception {
    try (LocalPostgres pg =
            LocalPostgres.builder()
                .setting("archive_mode", "on")
                .setting("archive_command", "false")
                .start(dir.resolve("pg"));
        Connection c = pg.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t AS SELECT generate_series(1, 1000) AS i");
      st.execute("SELECT pg_switch_wal()");
      await().atMost(Duration.ofSeconds(20)).until(() -> failures(st) > 0);
      Probe probe = new Probe(c, MaintenanceSettings.DEFAULTS, Optional::empty, Instant.now());

      Finding archiver = WalChecks.archiver(probe);
      Finding wal = WalChecks.walSize(probe);

      assertThat(archiver.status()).isEqualTo(Finding.Status.CRITICAL);
      assertThat(archiver.message()).startsWith("archive_command is failing");
      assertThat(archiver.value().longValue()).isPositive();
      assertThat(archiver.items().get(0)).containsKey("lastFailedWal").containsKey("lastFailedAt");
      assertThat(wal.value().longValue()).isPositive();
    }
  }

  private static long failures(Statement st) throws Exception {
    try (ResultSet rs = st.executeQuery("SELECT failed_count FROM pg_stat_archiver")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
