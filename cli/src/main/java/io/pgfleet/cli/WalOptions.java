package io.pgfleet.cli;

import io.pgfleet.commands.TargetName;
import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.worker.config.WorkerConfigFile;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Option;

/** What every WAL command needs: the storage section of a worker config and the target's name. */
final class WalOptions {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "Worker config file (YAML); only its storage section is read")
  Path config;

  @Option(
      names = {"-t", "--target"},
      required = true,
      description = "The target's logical name: its archive is <prefix>/<target>/wal/")
  String target;

  /** Runs {@code work} against the target's archive, closing the S3 client afterwards. */
  <T> T withArchive(Function<WalArchive, T> work) {
    return withStore(store -> work.apply(new WalArchive(store, target)));
  }

  /** Runs {@code work} against the store the config names, closing the S3 client afterwards. */
  <T> T withStore(Function<ArtifactStore, T> work) {
    if (!TargetName.isValid(target)) {
      throw new ConfigException("--target '" + target + "' is not a valid target name");
    }
    try (ArtifactStore store = ArtifactStore.connect(WorkerConfigFile.storage(config))) {
      return work.apply(store);
    }
  }
}
