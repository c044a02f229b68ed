package io.pgfleet.worker.procedure.prune;

import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.procedure.basebackup.BaseManifests;
import io.pgfleet.worker.retention.RetentionPolicy;
import io.pgfleet.worker.storage.Artifacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Retention of a target's base backups: the policy's rules, the newest verified one, and always the
 * newest complete one (the one with a manifest), so WAL archiving always has a backup to start
 * from.
 */
final class BaseBackupRetention {
  private final Artifacts store;
  private final String target;

  BaseBackupRetention(Artifacts store, String target) {
    this.store = store;
    this.target = target;
  }

  BaseBackupPlan plan(List<BackupCatalog.Entry> entries, RetentionPolicy policy, Instant now) {
    Map<String, CatalogedBase> byUri = new LinkedHashMap<>();
    for (BackupCatalog.Entry e : entries) {
      byUri.put(e.uri(), new CatalogedBase(e, BaseManifests.read(store, manifestKey(e))));
    }
    RetentionPolicy.Decision decision =
        policy.apply(
            entries.stream()
                .map(
                    e -> new RetentionPolicy.Backup(e.uri(), e.createdAt(), e.verifiedAt() != null))
                .toList(),
            now);
    Optional<CatalogedBase> newestComplete =
        byUri.values().stream()
            .filter(b -> b.manifest().isPresent())
            .max(Comparator.comparing((CatalogedBase b) -> b.entry().createdAt()));
    List<CatalogedBase> kept = new ArrayList<>();
    List<CatalogedBase> doomed = new ArrayList<>();
    for (CatalogedBase b : byUri.values()) {
      boolean keptByPolicy =
          decision.kept().keySet().stream().anyMatch(k -> k.id().equals(b.entry().uri()));
      if (keptByPolicy || newestComplete.filter(n -> n == b).isPresent()) {
        kept.add(b);
      } else {
        doomed.add(b);
      }
    }
    doomed.sort(Comparator.comparing((CatalogedBase b) -> b.entry().createdAt()));
    return new BaseBackupPlan(kept, doomed);
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
