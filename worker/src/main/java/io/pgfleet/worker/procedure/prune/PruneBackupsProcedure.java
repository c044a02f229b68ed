package io.pgfleet.worker.procedure.prune;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.PruneBackupsParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.ledger.CatalogChange;
import io.pgfleet.worker.procedure.Confirmation;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.retention.RetentionPolicy;
import io.pgfleet.worker.storage.ArtifactKeys;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.wal.WalExpiry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the target's retention policy to its cataloged backups: deletes what the policy does not
 * keep (never the newest verified backup), or with {@code dryRun} only lists it. Logical and base
 * backups are judged separately under the same policy; of the base backups the newest complete one
 * is always kept too. Then archived WAL before the start of the oldest kept base backup is expired
 * ({@link WalExpiry}): no kept backup can replay it.
 *
 * <p>Order of deletion, per artifact: the manifest, then the dump, then the catalog row is marked
 * pruned. The design's rule is that an artifact is complete only while its manifest exists, and
 * every reader (restore, verify-backup, a person with an S3 client) applies it. Deleting the
 * manifest first therefore turns the artifact into an incomplete one at once: if the run dies
 * before the dump is gone, what is left is a dump without a manifest, which restore refuses as
 * incomplete, never a manifest that vouches for a dump that no longer exists. (The issue's
 * "manifests go last" aims at the same guarantee; with manifest-means-complete, the manifest must
 * go first to give it.) The catalog rows are marked pruned by the run's result ({@link
 * CatalogChange#pruned}), applied in the lease-fenced terminal write: a run that lost its lease
 * marks nothing, and an interrupted prune is finished by the next run: the rows are still listed,
 * the policy still drops them, and deleting a missing object is no error. Base backups go before
 * WAL, and WAL is planned from the base backups that remain, so an interrupted run never leaves a
 * kept backup without the WAL it needs.
 */
public final class PruneBackupsProcedure implements Procedure {
  private final BackupCatalog catalog;
  private final Clock clock;

  public PruneBackupsProcedure(BackupCatalog catalog, Clock clock) {
    this.catalog = catalog;
    this.clock = clock;
  }

  @Override
  public Operation operation() {
    return Operation.PRUNE_BACKUPS;
  }

  /** A dry run only lists what it would delete. */
  @Override
  public boolean heavy(Command command) {
    return !command.params(PruneBackupsParams.class).dryRun();
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    Command command = ctx.command();
    PruneBackupsParams params = command.params(PruneBackupsParams.class);
    String target = command.target();
    RetentionPolicy policy = requirePolicy(ctx.target().config().retention(), target);
    if (!params.dryRun()) {
      Confirmation.require(
          target,
          params.confirm(),
          "prune-backups deletes backups of " + target,
          "dryRun: true shows what would go; nothing was deleted");
    }
    List<BackupCatalog.Entry> all = catalog.list(target, false);
    List<BackupCatalog.Entry> entries =
        all.stream().filter(e -> e.kind().equals("logical")).toList();
    Map<String, BackupCatalog.Entry> byUri = new LinkedHashMap<>();
    entries.forEach(e -> byUri.put(e.uri(), e));
    RetentionPolicy.Decision decision =
        policy.apply(
            entries.stream()
                .map(
                    e -> new RetentionPolicy.Backup(e.uri(), e.createdAt(), e.verifiedAt() != null))
                .toList(),
            clock.instant());

    List<RetentionPolicy.Backup> doomed = new ArrayList<>(decision.deleted());
    doomed.sort(Comparator.comparing(RetentionPolicy.Backup::createdAt));
    List<String> deleted = new ArrayList<>();
    List<CatalogChange> pruned = new ArrayList<>();
    if (!params.dryRun()) {
      for (RetentionPolicy.Backup b : doomed) {
        ctx.cancellation().check();
        delete(ctx, byUri.get(b.id()));
        deleted.add(b.id());
        pruned.add(CatalogChange.pruned(b.id()));
      }
    }
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("dryRun", params.dryRun());
    stats.put("backups", entries.size());
    stats.put("kept", decision.kept().size());
    stats.put(params.dryRun() ? "wouldDelete" : "deleted", params.dryRun() ? ids(doomed) : deleted);
    stats.put("deletedBytes", doomed.stream().mapToLong(b -> byUri.get(b.id()).bytes()).sum());
    List<BackupCatalog.Entry> bases = all.stream().filter(e -> e.kind().equals("base")).toList();
    if (!bases.isEmpty()) {
      stats.putAll(new PitrRetention(ctx, clock).apply(bases, policy, params.dryRun(), pruned));
    }
    return new ProcedureResult(List.of(), stats).changing(pruned);
  }

  private static void delete(RunContext ctx, BackupCatalog.Entry entry) throws ProcedureFailure {
    String key =
        ctx.store()
            .keys()
            .logicalDumpKey(entry.uri(), ctx.store().bucket(), entry.target())
            .orElseThrow(
                () ->
                    new ProcedureFailure(
                        ErrorCode.STORAGE_FAILED,
                        "cataloged artifact "
                            + entry.uri()
                            + " is not in this worker's bucket and prefix; prune it from a worker"
                            + " configured for "
                            + entry.uri().split("/")[2]));
    try {
      ctx.store().delete(ArtifactKeys.manifestOf(key)); // first: from here on it is incomplete
      if (ArtifactKeys.isDirectory(key)) {
        ctx.store().deleteAll(key); // a directory-format dump: every file under its prefix
      } else {
        ctx.store().delete(key);
      }
    } catch (StorageException e) {
      throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, e.getMessage(), e);
    }
  }

  private static RetentionPolicy requirePolicy(RetentionPolicy policy, String target)
      throws ProcedureFailure {
    if (policy == null || policy.isEmpty()) {
      throw new ProcedureFailure(
          ErrorCode.OPERATION_NOT_ALLOWED,
          "target "
              + target
              + " has no retention policy: set retention (keepLast, keepDays, daily, weekly,"
              + " monthly) for it in the worker config; nothing was deleted");
    }
    return policy;
  }

  private static List<String> ids(List<RetentionPolicy.Backup> backups) {
    return backups.stream().map(RetentionPolicy.Backup::id).toList();
  }
}
