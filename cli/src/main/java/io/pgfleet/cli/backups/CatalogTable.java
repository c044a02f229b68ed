package io.pgfleet.cli.backups;

import io.pgfleet.cli.client.ResultPrinter;
import io.pgfleet.worker.ledger.BackupCatalog;
import java.io.PrintStream;
import java.util.List;

/** Catalog entries as a table, two lines each, and how many there are. */
public final class CatalogTable {
  /** The catalog's kind for the CSV segments a purge archives to S3: kept, but not backups. */
  private static final String PURGE_ARCHIVE = "purge-archive";

  private CatalogTable() {}

  public static void print(List<BackupCatalog.Entry> entries, PrintStream out) {
    out.printf(
        "%-24s %-22s %-13s %-10s %10s  %-20s %s%n",
        "CREATED", "TARGET", "KIND", "STATE", "SIZE", "VERIFIED", "ID");
    for (BackupCatalog.Entry e : entries) {
      out.printf(
          "%-24s %-22s %-13s %-10s %10s  %-20s %s%n",
          e.createdAt().toString().replaceFirst("\\.\\d+Z$", "Z"),
          e.target(),
          e.kind(),
          e.present() ? "present" : "pruned",
          ResultPrinter.bytes(e.bytes()),
          e.verifiedAt() == null
              ? "never"
              : e.verifiedAt().toString().replaceFirst("\\.\\d+Z$", "Z"),
          e.id());
      out.printf("%24s %s  sha256 %s%n", "", e.uri(), e.sha256());
    }
    long archives = entries.stream().filter(e -> PURGE_ARCHIVE.equals(e.kind())).count();
    out.printf(
        "%d backup(s)%s%n",
        entries.size() - archives,
        archives == 0 ? "" : ", " + archives + " purge archive segment(s)");
  }
}
