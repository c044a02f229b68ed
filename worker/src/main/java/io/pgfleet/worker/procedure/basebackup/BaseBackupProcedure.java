package io.pgfleet.worker.procedure.basebackup;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.target.TargetDatabase;
import io.pgfleet.worker.wal.RecoverableWindow;
import io.pgfleet.worker.wal.WalArchiveException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A physical base backup: pg_basebackup (tar, WAL fetched into the backup) streamed from its stdout
 * through sha256 and zstd into {@code <prefix>/<target>/base/<id>/base.tar.zst}, with no local copy
 * (a cluster with extra tablespaces goes through a scratch directory, one tar per tablespace),
 * pg_basebackup's own backup_manifest kept beside it, and {@code manifest.json} written last.
 * Cataloged as kind {@code base}.
 */
public final class BaseBackupProcedure implements Procedure {
  private final Clock clock;

  public BaseBackupProcedure(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Operation operation() {
    return Operation.BASE_BACKUP;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    Command command = ctx.command();
    BaseBackupParams params = command.params(BaseBackupParams.class);
    TargetDatabase target = ctx.target();
    Instant startedAt = clock.instant();
    PhaseClock phases = new PhaseClock();
    SourceServer server = SourceServer.of(target);
    PgTools.Tool tool = PgBaseBackupTool.forServer(target, server);
    requireStore(ctx.store());
    boolean streamed = !ExtraTablespaces.present(target);
    PgBaseBackup pgBaseBackup = new PgBaseBackup(tool, target.libpqEnvironment("base-backup"));
    String label = "pgfleet " + command.id();
    String prefix = ctx.store().keys().basePrefix(command.target(), command.id());
    try {
      TakenBaseBackup taken =
          streamed
              ? StreamedBaseBackup.take(
                  pgBaseBackup,
                  target,
                  ctx.store(),
                  prefix,
                  label,
                  params.checkpoint(),
                  ctx.cancellation(),
                  phases)
              : ScratchBaseBackup.take(
                  pgBaseBackup,
                  target,
                  ctx.store(),
                  prefix,
                  label,
                  params.checkpoint(),
                  ctx.cancellation());
      List<BaseManifest.File> files = taken.files();
      JsonNode walRange = walRange(Json.mapper().readTree(taken.backupManifest()));
      BaseManifest manifest =
          new BaseManifest(
              BaseManifest.VERSION,
              BaseManifest.KIND,
              command.target(),
              command.id(),
              walRange.path("Start-LSN").asText(),
              walRange.path("End-LSN").asText(),
              walRange.path("Timeline").asInt(),
              startedAt,
              clock.instant(),
              server.version(),
              server.versionNum(),
              server.systemIdentifier(),
              tool.version(),
              files);
      String manifestKey = prefix + "manifest.json";
      ctx.store().put(manifestKey, Json.mapper().writeValueAsBytes(manifest), "application/json");
      phases.mark("manifestStored");
      BaseManifest.File base =
          files.stream().filter(f -> f.name().equals("base.tar")).findFirst().orElseThrow();
      long stored = files.stream().mapToLong(BaseManifest.File::storedBytes).sum();
      Map<String, Object> stats = statistics(manifest, stored);
      stats.put("streamed", streamed);
      stats.put("phases", phases.statistics());
      window(ctx.store(), command.target())
          .ifPresent(w -> stats.put("recoverableWindow", w.statistics(clock.instant())));
      return new ProcedureResult(
          List.of(
              new Artifact(
                  BaseManifest.KIND,
                  ctx.store().uri(base.key()),
                  ctx.store().uri(manifestKey),
                  stored,
                  base.storedSha256())),
          stats);
    } catch (StorageException | IOException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED, "cannot store the base backup: " + e.getMessage(), e);
    }
  }

  /** No checkpoint is forced, nor any file copied, for a store that cannot take the backup. */
  private static void requireStore(Artifacts store) throws ProcedureFailure {
    try {
      store.requireBucket();
    } catch (StorageException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED, "cannot store the base backup: " + e.getMessage(), e);
    }
  }

  /** The window after this backup; a listing that fails leaves it out, the backup stands. */
  private static java.util.Optional<RecoverableWindow> window(Artifacts store, String target) {
    try {
      return RecoverableWindows.of(store, target);
    } catch (StorageException | WalArchiveException e) {
      return java.util.Optional.empty();
    }
  }

  /** The single WAL range of the backup's timeline, from pg_basebackup's backup_manifest. */
  private static JsonNode walRange(JsonNode backupManifest) throws ProcedureFailure {
    JsonNode ranges = backupManifest.path("WAL-Ranges");
    if (!ranges.isArray() || ranges.size() == 0) {
      throw new ProcedureFailure(
          ErrorCode.PG_BASEBACKUP_FAILED, "pg_basebackup's backup_manifest names no WAL range");
    }
    return ranges.get(ranges.size() - 1);
  }

  private static Map<String, Object> statistics(BaseManifest m, long storedBytes) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("startLsn", m.startLsn());
    stats.put("stopLsn", m.stopLsn());
    stats.put("timeline", m.timeline());
    stats.put("files", m.files().size());
    stats.put("backupBytes", m.files().stream().mapToLong(BaseManifest.File::bytes).sum());
    stats.put("storedBytes", storedBytes);
    stats.put("serverVersion", m.serverVersion());
    stats.put("pgBasebackupVersion", m.pgBasebackupVersion());
    return stats;
  }
}
