package io.pgfleet.cli.backups;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.storage.ArtifactStore;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pgfleet backups show ID}. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Shows one backup: its catalog entry and its manifest.")
final class ShowBackup implements Callable<Integer> {
  @Mixin CatalogSource source;

  @Parameters(description = "The backup's id (its command id) or its s3:// URI")
  String id;

  @Override
  public Integer call() throws Exception {
    WorkerConfig config = source.load();
    try (Ledger ledger = Ledger.open(config.ledger())) {
      var entry = ledger.catalog().find(id);
      if (entry.isEmpty()) {
        System.err.println("no backup " + id + " in the catalog; pgfleet backups list shows them");
        return BackupsCommand.NOT_FOUND;
      }
      CatalogTable.print(List.of(entry.get()), System.out);
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
