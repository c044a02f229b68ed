package io.pgfleet.cli.backups;

import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.config.WorkerConfigFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the catalog lives: the ledger (and the bucket, for manifests) of a worker config. */
final class CatalogSource {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "Worker config file (YAML): its ledger holds the catalog")
  Path config;

  WorkerConfig load() {
    return WorkerConfigFile.load(config);
  }
}
