package io.pgfleet.worker.procedure.prune;

import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.retention.RetentionPolicy;
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
  private final StoredBaseBackups stored;

  BaseBackupRetention(StoredBaseBackups stored) {
    this.stored = stored;
  }

  BaseBackupPlan plan(List<BackupCatalog.Entry> entries, RetentionPolicy policy, Instant now) {
    Map<String, CatalogedBase> byUri = new LinkedHashMap<>();
    for (BackupCatalog.Entry e : entries) {
      byUri.put(e.uri(), stored.read(e));
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
}
