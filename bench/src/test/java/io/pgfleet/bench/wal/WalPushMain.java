package io.pgfleet.bench.wal;

import io.pgfleet.worker.config.WorkerConfigFile;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import java.nio.file.Path;

/**
 * What {@code pgfleet wal-push --config F --target T PATH} does, for the smoke test: the cli module
 * (and so {@code pgfleet} itself) is built after this one. {@code --version} only starts the JVM.
 */
public final class WalPushMain {
  private WalPushMain() {}

  public static void main(String[] args) {
    if (args[0].equals("--version")) {
      System.out.println("smoke");
      return;
    }
    try (ArtifactStore store = ArtifactStore.connect(WorkerConfigFile.storage(Path.of(args[2])))) {
      new WalArchive(store, args[4]).push(Path.of(args[5]));
    }
  }
}
