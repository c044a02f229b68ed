package io.pgfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.config.WorkerConfigFile;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.storage.ArtifactStore;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgfleet backups list|show}: the backup catalog kept in the ledger. */
@Command(
    name = "backups",
    mixinStandardHelpOptions = true,
    description = "The backup catalog: every artifact, when it was verified or pruned.",
    subcommands = {BackupsCommand.ListBackups.class, BackupsCommand.Show.class})
final class BackupsCommand {
  static final int NOT_FOUND = 6;

  /** The catalog's kind for the CSV segments a purge archives to S3: kept, but not backups. */
  private static final String PURGE_ARCHIVE = "purge-archive";

  /** Where the catalog lives: the ledger (and the bucket, for manifests) of a worker config. */
  static final class Source {
    @Option(
        names = {"-c", "--config"},
        required = true,
        description = "Worker config file (YAML): its ledger holds the catalog")
    Path config;

    WorkerConfig load() {
      return WorkerConfigFile.load(config);
    }
  }

  /** {@code pgfleet backups list [--target T]}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists backups.")
  static final class ListBackups implements Callable<Integer> {
    @picocli.CommandLine.Mixin Source source;

    @Option(
        names = {"-t", "--target"},
        description = "Only this target")
    String target;

    @Option(names = "--all", description = "Include pruned backups")
    boolean all;

    @Override
    public Integer call() {
      try (Ledger ledger = Ledger.open(source.load().ledger())) {
        print(ledger.catalog().list(target, all), System.out);
      }
      return 0;
    }
  }

  /** {@code pgfleet backups show ID}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Shows one backup: its catalog entry and its manifest.")
  static final class Show implements Callable<Integer> {
    @picocli.CommandLine.Mixin Source source;

    @Parameters(description = "The backup's id (its command id) or its s3:// URI")
    String id;

    @Override
    public Integer call() throws Exception {
      WorkerConfig config = source.load();
      try (Ledger ledger = Ledger.open(config.ledger())) {
        var entry = ledger.catalog().find(id);
        if (entry.isEmpty()) {
          System.err.println(
              "no backup " + id + " in the catalog; pgfleet backups list shows them");
          return NOT_FOUND;
        }
        print(List.of(entry.get()), System.out);
        if (entry.get().present()) {
          try (ArtifactStore store = ArtifactStore.connect(config.storage());
              InputStream in =
                  store.read(URI.create(entry.get().manifestUri()).getPath().substring(1))) {
            JsonNode manifest = Json.mapper().readTree(in);
            System.out.println(
                Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
          }
        }
      }
      return 0;
    }
  }

  static void print(List<BackupCatalog.Entry> entries, PrintStream out) {
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
