package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.StorageException;
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
  public static Optional<BaseManifest> read(Artifacts store, String key) {
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
  public static List<BaseManifest> stored(Artifacts store, String target) {
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

  /** The key of the manifest of backup {@code backupId} of {@code target}. */
  public static String key(Artifacts store, String target, String backupId) {
    return store.keys().basePrefix(target, backupId) + NAME;
  }
}
