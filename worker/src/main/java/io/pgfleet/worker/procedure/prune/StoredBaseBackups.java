package io.pgfleet.worker.procedure.prune;

import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.procedure.basebackup.BaseManifests;
import io.pgfleet.worker.storage.Artifacts;

/**
 * A target's cataloged base backups in the store: read with their manifests, deleted manifest
 * first. A catalog row pointing outside this worker's bucket and prefix is refused, not followed.
 */
final class StoredBaseBackups {
  private final Artifacts store;
  private final String target;

  StoredBaseBackups(Artifacts store, String target) {
    this.store = store;
    this.target = target;
  }

  /** The cataloged backup with its manifest, empty when that is gone (the backup is incomplete). */
  CatalogedBase read(BackupCatalog.Entry e) {
    return new CatalogedBase(e, BaseManifests.read(store, manifestKey(e)));
  }

  /** Deletes the backup's manifest first (from then on it is incomplete), then its files. */
  void delete(CatalogedBase base) {
    String manifest = manifestKey(base.entry());
    String prefix = manifest.substring(0, manifest.length() - "manifest.json".length());
    store.delete(manifest);
    store.deleteAll(prefix);
  }

  /**
   * The manifest's key, checked to be where this worker stores the target's base backups: a catalog
   * row naming anything else is refused rather than followed.
   */
  private String manifestKey(BackupCatalog.Entry e) {
    String key = BaseManifests.key(store, target, e.id());
    if (!store.uri(key).equals(e.manifestUri())) {
      throw new UnexpectedLocation(
          "cataloged base backup "
              + e.uri()
              + " is not in this worker's bucket and prefix; prune it from a worker configured"
              + " for it");
    }
    return key;
  }
}
