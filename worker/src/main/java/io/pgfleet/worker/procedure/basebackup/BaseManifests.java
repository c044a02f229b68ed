package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.wal.RecoverableWindow;
import io.pgfleet.worker.wal.WalArchive;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads base backups' manifests from the store: a base backup is complete when it has one. */
public final class BaseManifests {
  private static final String NAME = "manifest.json";

  private BaseManifests() {}

  /** The manifest at {@code key}, or empty when there is none. */
  public static Optional<BaseManifest> read(ArtifactStore store, String key) {
    if (!store.exists(key)) {
      return Optional.empty();
    }
    try (InputStream in = store.read(key)) {
      return Optional.of(Json.mapper().readValue(in, BaseManifest.class));
    } catch (IOException e) {
      throw new StorageException("cannot read the manifest " + store.uri(key) + ": " + e, e);
    }
  }

  /** Every complete base backup of {@code target} in the store, oldest first. */
  public static List<BaseManifest> stored(ArtifactStore store, String target) {
    String prefix = store.keys().targetPrefix(target) + "base/";
    List<BaseManifest> found = new ArrayList<>();
    for (String key : store.list(prefix)) {
      if (key.endsWith("/" + NAME)) {
        read(store, key).ifPresent(found::add);
      }
    }
    found.sort(Comparator.comparing(BaseManifest::startedAt));
    return found;
  }

  /**
   * The target's recoverable window now: from the oldest complete base backup in the store over its
   * archived WAL; empty when it has no base backup or archives no WAL.
   */
  public static Optional<RecoverableWindow> window(ArtifactStore store, String target) {
    List<BaseManifest> bases = stored(store, target);
    if (bases.isEmpty()) {
      return Optional.empty();
    }
    List<WalArchive.Archived> files = new WalArchive(store, target).files();
    if (files.isEmpty()) {
      return Optional.empty();
    }
    BaseManifest oldest = bases.get(0);
    return Optional.of(
        RecoverableWindow.of(
            new RecoverableWindow.Start(oldest.startLsn(), oldest.timeline(), oldest.startedAt()),
            files));
  }

  /** The key of the manifest of backup {@code backupId} of {@code target}. */
  public static String key(ArtifactStore store, String target, String backupId) {
    return store.keys().basePrefix(target, backupId) + NAME;
  }
}
