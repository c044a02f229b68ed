package io.pgfleet.cli.backups;

import io.pgfleet.cli.client.TargetFilter;
import io.pgfleet.worker.ledger.Ledger;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet backups list [--target T]}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists backups.")
final class ListBackups implements Callable<Integer> {
  @Mixin CatalogSource source;

  @Mixin TargetFilter only;

  @Option(names = "--all", description = "Include pruned backups")
  boolean all;

  @Override
  public Integer call() {
    try (Ledger ledger = Ledger.open(source.load().ledger())) {
      CatalogTable.print(ledger.catalog().list(only.target(), all), System.out);
    }
    return 0;
  }
}
