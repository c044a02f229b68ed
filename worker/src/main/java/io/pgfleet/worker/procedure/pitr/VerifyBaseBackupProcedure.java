package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.commands.ArtifactSelector;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RecoveryTargetAction;
import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.VerifyBaseBackupParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.PitrSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.ledger.CatalogChange;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.basebackup.BaseManifest;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.tool.ToolCall;
import io.pgfleet.worker.wal.SegmentNumbers;
import io.pgfleet.worker.wal.WalArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The physical restore drill: the base backup unpacked into a scratch directory below {@code
 * pitr.restoreRoot} (sha256 checked), pg_verifybackup, recovery with the WAL archive to its end on
 * a free port, pg_amcheck over every relation, then the server stopped and the directory removed
 * whatever happened. Reports the recovery time (RTO) and the point reached; success marks the base
 * backup verified in the catalog.
 */
public final class VerifyBaseBackupProcedure implements Procedure {
  private final BackupCatalog catalog;

  public VerifyBaseBackupProcedure(BackupCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Operation operation() {
    return Operation.VERIFY_BASE_BACKUP;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    Command command = ctx.command();
    VerifyBaseBackupParams params = command.params(VerifyBaseBackupParams.class);
    TargetConfig target = ctx.target().config();
    PitrSettings pitr = target.pitr();
    if (pitr.restoreRoot() == null || pitr.archiveConfig() == null || pitr.serverBinDir() == null) {
      throw new ProcedureFailure(
          ErrorCode.OPERATION_NOT_ALLOWED,
          "verify-base-backup needs pitr.restoreRoot, pitr.archiveConfig and pitr.serverBinDir in"
              + " the target's config");
    }
    long t0 = System.nanoTime();
    Path dir = pitr.restoreRoot().resolve("drill-" + Long.toHexString(System.nanoTime()));
    RecoveredServer server = new RecoveredServer(pitr.serverBinDir(), pitr.serverUser(), dir);
    PhysicalChecks checks = new PhysicalChecks(pitr.serverBinDir());
    boolean started = false;
    try {
      BaseManifest backup =
          BaseBackups.choose(catalog, ctx.store(), command.target(), params.backup(), null);
      DataDirectory.materialize(ctx.store(), backup, dir);
      checks.verifyBackup(dir, ctx.cancellation());
      long downloadMs = (System.nanoTime() - t0) / 1_000_000;
      Optional<Path> spool = WalPrefetch.createSpool(dir);
      int port = freePort();
      RestorePitrParams toEnd =
          new RestorePitrParams(
              ArtifactSelector.LATEST, null, null, null, null, dir.getFileName().toString(), port);
      Files.writeString(
          dir.resolve("postgresql.auto.conf"),
          RecoveryConfig.text(
              RecoveryConfig.settings(
                  toEnd, RestorePitrProcedure.restoreCommand(pitr, command.target(), spool))),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      DataDirectory.giveTo(pitr.serverUser(), dir);
      started = true;
      RecoveryReached reached;
      int prefetched;
      int fromSpool;
      int answered;
      try (WalPrefetch prefetch =
          WalPrefetch.start(
              new WalArchive(ctx.store(), command.target()),
              spool,
              SegmentNumbers.segmentOf(backup.timeline(), backup.startLsn()))) {
        reached =
            server.startAndAwait(
                port,
                target.database(),
                target.user(),
                target.password().reveal(),
                RecoveryTargetAction.PROMOTE,
                ctx.cancellation());
        prefetched = prefetch.fetched();
        fromSpool = prefetch.served();
        answered = prefetch.answered();
      }
      long rtoMs = (System.nanoTime() - t0) / 1_000_000;
      checks.amcheck(port, target.restore().adminOn(target), ctx.cancellation());
      String uri =
          backup.files().stream()
              .filter(f -> f.name().equals("base.tar"))
              .map(f -> ctx.store().uri(f.key()))
              .findFirst()
              .orElseThrow();
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("backupId", backup.backupId());
      stats.put("artifact", uri);
      stats.put("backupStopLsn", backup.stopLsn());
      stats.put("rtoMs", rtoMs);
      stats.put("downloadMs", downloadMs);
      stats.put("walPrefetched", prefetched);
      stats.put("walFromSpool", fromSpool);
      stats.put("walAnswered", answered);
      stats.put("reachedLsn", reached.lsn());
      stats.put("reachedTime", reached.time() == null ? null : reached.time().toString());
      stats.put("timeline", reached.timeline());
      stats.put("pgVerifybackup", "passed");
      stats.put("pgAmcheck", "passed");
      return new ProcedureResult(List.of(), stats).changing(CatalogChange.verified(uri));
    } catch (RecoveryFailed e) {
      throw new ProcedureFailure(ErrorCode.RECOVERY_FAILED, ctx.target().redact(e.getMessage()), e);
    } catch (IOException | UncheckedIOException | StorageException e) {
      throw new ProcedureFailure(
          ErrorCode.RECOVERY_FAILED, "the drill in " + dir + " failed: " + e.getMessage(), e);
    } finally {
      if (started) {
        stop(server, pitr.serverUser());
      }
      delete(dir);
    }
  }

  private static void stop(RecoveredServer server, String user) {
    boolean interrupted = Thread.interrupted(); // an interrupted run still stops its server
    try {
      // pg_ctl waits up to 60 s for the server to stop
      ToolCall.of(ServerCommand.asServerUser(user, server.stopCommand()))
          .named("pg_ctl stop")
          .within(Duration.ofMinutes(2))
          .run();
    } catch (IOException e) {
      // the directory is removed next; a server left running there stops on its own error
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // reported by the next drill's disk use; nothing to do here
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
