package io.pgfleet.cli.backups;

import io.pgfleet.worker.ledger.Ledger;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet backups list [--target T]}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists backups.")
final class ListBackups implements Callable<Integer> {
  @Mixin CatalogSource source;

  @Option(
      names = {"-t", "--target"},
      description = "Only this target")
  String target;

  @Option(names = "--all", description = "Include pruned backups")
  boolean all;

  @Override
  public Integer call() {
    try (Ledger ledger = Ledger.open(source.load().ledger())) {
      CatalogTable.print(ledger.catalog().list(target, all), System.out);
    }
    return 0;
  }
}
