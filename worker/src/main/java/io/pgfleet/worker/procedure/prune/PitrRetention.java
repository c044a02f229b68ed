package io.pgfleet.worker.procedure.prune;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.ledger.CatalogChange;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.basebackup.BaseManifest;
import io.pgfleet.worker.retention.RetentionPolicy;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.wal.RecoverableWindow;
import io.pgfleet.worker.wal.SegmentNumbers;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalArchiveException;
import io.pgfleet.worker.wal.WalExpiry;
import io.pgfleet.worker.wal.WalFileName;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PITR half of prune-backups: base backups under the policy, then the archived WAL no kept base
 * backup needs. Returns the statistics it adds to the result: the base backups deleted, the WAL
 * expired as counts and ranges per timeline (not thousands of names), and the recoverable window
 * that remains.
 */
final class PitrRetention {
  private final RunContext ctx;
  private final Clock clock;

  PitrRetention(RunContext ctx, Clock clock) {
    this.ctx = ctx;
    this.clock = clock;
  }

  /**
   * Deletes (unless {@code dryRun}) and adds the catalog change of each deletion to {@code pruned}.
   */
  Map<String, Object> apply(
      List<BackupCatalog.Entry> bases,
      RetentionPolicy policy,
      boolean dryRun,
      List<CatalogChange> pruned)
      throws ProcedureFailure, InterruptedException {
    String target = ctx.command().target();
    try {
      StoredBaseBackups stored = new StoredBaseBackups(ctx.store(), target);
      BaseBackupPlan plan = new BaseBackupRetention(stored).plan(bases, policy, clock.instant());
      if (!dryRun) {
        for (CatalogedBase b : plan.doomed()) {
          ctx.cancellation().check();
          stored.delete(b);
          pruned.add(CatalogChange.pruned(b.entry().uri()));
        }
      }
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("baseBackups", bases.size());
      stats.put("baseKept", plan.kept().size());
      stats.put(
          dryRun ? "wouldDeleteBase" : "deletedBase",
          plan.doomed().stream().map(b -> b.entry().uri()).toList());
      stats.put("deletedBaseBytes", plan.doomed().stream().mapToLong(b -> b.entry().bytes()).sum());
      Optional<BaseManifest> oldest =
          plan.kept().stream()
              .flatMap(b -> b.manifest().stream())
              .min(Comparator.comparing(BaseManifest::startedAt));
      if (oldest.isEmpty()) {
        stats.put("wal", Map.of("expired", 0, "reason", "no complete base backup is kept"));
        return stats;
      }
      WalArchive archive = new WalArchive(ctx.store(), target);
      List<WalArchive.Archived> files = archive.files();
      String keepFrom = keepFrom(plan.kept());
      WalExpiry expiry =
          WalExpiry.plan(files.stream().map(WalArchive.Archived::name).toList(), keepFrom);
      if (!dryRun) {
        for (WalFileName f : expiry.expired()) {
          ctx.cancellation().check();
          archive.delete(f);
        }
      }
      stats.put("wal", walStatistics(expiry, dryRun));
      List<WalArchive.Archived> remaining = new ArrayList<>(files);
      if (!dryRun) {
        remaining.removeIf(f -> expiry.expired().contains(f.name()));
      }
      BaseManifest o = oldest.get();
      stats.put(
          "recoverableWindow",
          RecoverableWindow.of(
                  new RecoverableWindow.Start(o.startLsn(), o.timeline(), o.startedAt()), remaining)
              .statistics(clock.instant()));
      return stats;
    } catch (UnexpectedLocation e) {
      throw e.failure();
    } catch (StorageException | WalArchiveException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "pruning base backups and WAL of " + target + " stopped: " + e.getMessage(),
          e);
    }
  }

  /** The earliest start segment of the kept base backups that have a manifest. */
  private static String keepFrom(List<CatalogedBase> kept) {
    return kept.stream()
        .flatMap(b -> b.manifest().stream())
        .map(m -> SegmentNumbers.segmentOf(m.timeline(), m.startLsn()))
        .min(Comparator.comparing(s -> s.substring(8)))
        .orElseThrow();
  }

  private static Map<String, Object> walStatistics(WalExpiry expiry, boolean dryRun) {
    Map<String, Object> wal = new LinkedHashMap<>();
    wal.put("keptFrom", expiry.keepFrom());
    wal.put(dryRun ? "wouldExpire" : "expired", expiry.expired().size());
    List<Map<String, Object>> ranges = new ArrayList<>();
    for (WalExpiry.Range r : expiry.ranges()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("timeline", r.timeline());
      m.put("first", r.first());
      m.put("last", r.last());
      m.put("files", r.files());
      ranges.add(m);
    }
    wal.put("ranges", ranges);
    return wal;
  }
}
