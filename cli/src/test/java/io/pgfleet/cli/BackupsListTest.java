package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.cli.backups.CatalogTable;
import io.pgfleet.worker.ledger.BackupCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupsListTest {

  private static BackupCatalog.Entry entry(String id, String kind) {
    return new BackupCatalog.Entry(
        "s3://b/" + id,
        "s3://b/" + id + ".manifest.json",
        id,
        "order_db",
        kind,
        10,
        "ab",
        Instant.parse("2026-12-06T00:00:00Z"),
        null,
        null,
        null,
        null);
  }

  @Test
  void the_list_shows_each_artifacts_kind_and_counts_purge_archives_apart_from_backups() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CatalogTable.print(
        List.of(entry("b1", "logical"), entry("b2", "base"), entry("p1", "purge-archive")),
        new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("KIND")
        .contains(" logical ")
        .contains(" base ")
        .contains(" purge-archive ");
    assertThat(text).endsWith("2 backup(s), 1 purge archive segment(s)" + System.lineSeparator());
  }
}
