package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.commands.ArtifactSelector;
import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.procedure.basebackup.BaseManifest;
import io.pgfleet.worker.storage.Artifacts;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Chooses the base backup a recovery starts from, from the catalog and the backups' manifests. */
final class BaseBackups {
  private BaseBackups() {}

  static BaseManifest choose(
      BackupCatalog catalog, Artifacts store, String target, RestorePitrParams params)
      throws ProcedureFailure {
    return choose(catalog, store, target, params.backup(), params.targetTime());
  }

  /** {@code backup} (latest or a URI); latest means the newest finished before {@code before}. */
  static BaseManifest choose(
      BackupCatalog catalog, Artifacts store, String target, String backup, Instant before)
      throws ProcedureFailure {
    record Params(String backup, Instant targetTime) {}
    Params params = new Params(backup, before);
    List<BackupCatalog.Entry> bases =
        catalog.list(target, false).stream().filter(e -> e.kind().equals("base")).toList();
    if (!params.backup().equals(ArtifactSelector.LATEST)) {
      return bases.stream()
          .filter(e -> e.uri().equals(params.backup()))
          .findFirst()
          .map(e -> manifest(store, e))
          .orElseThrow(
              () ->
                  new ProcedureFailure(
                      ErrorCode.ARTIFACT_NOT_FOUND,
                      params.backup() + " is not a cataloged base backup of " + target));
    }
    return bases.stream()
        .map(e -> manifest(store, e))
        .filter(m -> params.targetTime() == null || !m.stoppedAt().isAfter(params.targetTime()))
        .max(Comparator.comparing(BaseManifest::stoppedAt))
        .orElseThrow(
            () ->
                new ProcedureFailure(
                    ErrorCode.ARTIFACT_NOT_FOUND,
                    "no base backup of "
                        + target
                        + (params.targetTime() == null
                            ? ""
                            : " finished before " + params.targetTime())
                        + ": run base-backup first; recovery can only start from one"));
  }

  private static BaseManifest manifest(Artifacts store, BackupCatalog.Entry entry) {
    String head = "s3://" + store.bucket() + "/";
    try (InputStream in = store.read(entry.manifestUri().substring(head.length()))) {
      return Json.mapper().readValue(in, BaseManifest.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot read the manifest " + entry.manifestUri() + ": " + e.getMessage(), e);
    }
  }
}
