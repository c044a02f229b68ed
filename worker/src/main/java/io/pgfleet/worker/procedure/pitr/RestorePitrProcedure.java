package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.PitrSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.ProcedureResult;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.procedure.basebackup.BaseManifest;
import io.pgfleet.worker.storage.StorageException;
import io.pgfleet.worker.wal.SegmentNumbers;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Point-in-time recovery into a new data directory below the target's {@code pitr.restoreRoot}, or
 * with {@code inPlace} into the stopped server's own {@code pitr.dataDirectory} ({@link
 * InPlaceDirectory}): the chosen base backup unpacked, recovery configured to fetch WAL with {@code
 * pgfleet wal-fetch} and stop at the target, the server started on the given port and watched until
 * it has done the command's target action (promoted, paused at the target, or stopped there).
 * Beside the original, the running original is never touched: a directory that exists is refused.
 */
public final class RestorePitrProcedure implements Procedure {
  private final BackupCatalog catalog;

  public RestorePitrProcedure(BackupCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public Operation operation() {
    return Operation.RESTORE_PITR;
  }

  @Override
  public ProcedureResult execute(RunContext ctx) throws ProcedureFailure, InterruptedException {
    Command command = ctx.command();
    RestorePitrParams params = command.params(RestorePitrParams.class);
    TargetConfig target = ctx.target().config();
    PitrSettings pitr = target.pitr();
    requireConfigured(pitr);
    // chosen before anything moves: a target time no base backup precedes changes nothing
    BaseManifest backup;
    try {
      backup = BaseBackups.choose(catalog, ctx.store(), command.target(), params);
    } catch (StorageException e) {
      throw new ProcedureFailure(
          ErrorCode.RECOVERY_FAILED, "cannot read the base backups: " + e.getMessage(), e);
    }
    Optional<InPlaceDirectory> inPlace =
        params.replacesDataDirectory()
            ? Optional.of(
                InPlaceDirectory.takeOver(
                    ctx.target(), command.target(), pitr.dataDirectory(), params))
            : Optional.empty();
    Path dir =
        inPlace.isPresent() ? inPlace.get().dir() : directory(pitr, params, ctx.lease().attempt());
    int port = inPlace.isPresent() ? target.port() : params.port();
    try {
      long t0 = System.nanoTime();
      Map<String, String> settings;
      boolean starts = pitr.serverBinDir() != null;
      Optional<Path> spool;
      try {
        DataDirectory.materialize(ctx.store(), backup, dir);
        spool = starts ? WalPrefetch.createSpool(dir) : Optional.empty();
        String restoreCommand = restoreCommand(pitr, command.target(), spool);
        settings = RecoveryConfig.settings(params, restoreCommand);
        Files.writeString(
            dir.resolve("postgresql.auto.conf"),
            RecoveryConfig.text(settings),
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        DataDirectory.giveTo(pitr.serverUser(), dir);
      } catch (ProcedureFailure | IOException | InterruptedException | RuntimeException e) {
        // nothing started on it yet (failed or cancelled): the server's own directory goes back
        Optional<String> stuck = inPlace.flatMap(InPlaceDirectory::giveBack);
        if (stuck.isPresent()) {
          throw new ProcedureFailure(
              ErrorCode.RECOVERY_FAILED,
              "cannot prepare " + dir + ": " + e.getMessage() + stuck.get(),
              e);
        }
        throw e;
      }
      long downloadMs = (System.nanoTime() - t0) / 1_000_000;
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("backupId", backup.backupId());
      stats.put("backupStopLsn", backup.stopLsn());
      stats.put("dataDirectory", dir.toString());
      if (inPlace.isPresent()) {
        stats.put("inPlace", true);
        inPlace.get().previous().ifPresent(p -> stats.put("previousDataDirectory", p.toString()));
      }
      stats.put("port", port);
      stats.put("recoverySettings", settings);
      if (!starts) {
        RecoveredServer server = new RecoveredServer(Path.of(""), pitr.serverUser(), dir);
        stats.put("targetAction", params.targetAction().wireName());
        stats.put("started", false);
        stats.put("startCommand", ServerCommand.shell(server.startCommand()));
        return new ProcedureResult(List.of(), stats);
      }
      RecoveredServer server = new RecoveredServer(pitr.serverBinDir(), pitr.serverUser(), dir);
      RecoveryReached reached;
      long t1 = System.nanoTime();
      try (WalPrefetch prefetch =
          WalPrefetch.start(
              new WalArchive(ctx.store(), command.target()),
              spool,
              SegmentNumbers.segmentOf(backup.timeline(), backup.startLsn()))) {
        try {
          reached =
              server.startAndAwait(
                  port,
                  target.database(),
                  target.user(),
                  target.password().reveal(),
                  params.targetAction(),
                  ctx.cancellation());
        } catch (RecoveryFailed e) {
          throw new ProcedureFailure(
              ErrorCode.RECOVERY_FAILED,
              ctx.target().redact(e.getMessage()) + gapHint(ctx, command.target(), backup));
        }
        stats.put("walPrefetched", prefetch.fetched());
        stats.put("walFromSpool", prefetch.served());
        stats.put("walAnswered", prefetch.answered());
      }
      stats.put("downloadMs", downloadMs);
      stats.put("recoveryMs", (System.nanoTime() - t1) / 1_000_000);
      ActionReport.put(stats, params.targetAction(), server, reached, dir, port);
      return new ProcedureResult(List.of(), stats);
    } catch (IOException | UncheckedIOException | StorageException e) {
      throw new ProcedureFailure(
          ErrorCode.RECOVERY_FAILED, "cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void requireConfigured(PitrSettings pitr) throws ProcedureFailure {
    if (pitr.restoreRoot() == null || pitr.archiveConfig() == null) {
      throw new ProcedureFailure(
          ErrorCode.OPERATION_NOT_ALLOWED,
          "restore-pitr needs pitr.restoreRoot and pitr.archiveConfig in the target's config");
    }
  }

  /**
   * The new data directory under {@code pitr.restoreRoot}. One that exists is refused; when a
   * server was started in it, the refusal says so: after a worker stopped mid-recovery, the next
   * attempt of the same command lands here while the server the first one started may still
   * recover.
   */
  static Path directory(PitrSettings pitr, RestorePitrParams params, int attempt)
      throws ProcedureFailure {
    Path dir = pitr.restoreRoot().resolve(params.directory()).normalize();
    if (!dir.getParent().equals(pitr.restoreRoot().normalize())) {
      throw new ProcedureFailure(
          ErrorCode.RESTORE_CONFLICT,
          dir + " is not directly under pitr.restoreRoot: give a plain directory name");
    }
    if (Files.exists(dir)) {
      throw new ProcedureFailure(
          ErrorCode.RESTORE_CONFLICT,
          dir
              + " exists: restore-pitr only creates new data directories; choose another name"
              + startedIn(dir, attempt));
    }
    return dir;
  }

  private static String startedIn(Path dir, int attempt) {
    Path pid = dir.resolve("postmaster.pid");
    if (!Files.exists(pid)) {
      return "";
    }
    String port;
    try (var lines = Files.lines(pid)) {
      port = lines.skip(3).findFirst().filter(l -> l.matches("[0-9]{1,5}")).orElse(null);
    } catch (IOException | UncheckedIOException e) {
      port = null;
    }
    return ". A server was started in it"
        + (port == null ? "" : " on port " + port)
        + (attempt > 1
            ? " (an earlier attempt of this command may have started it and stopped watching)"
            : "")
        + ": pg_ctl status -D "
        + dir
        + " tells whether it still runs; stop it and remove the directory to restore into this"
        + " name again";
  }

  static String restoreCommand(PitrSettings pitr, String target) {
    String config = pitr.archiveConfig().toString();
    if (!config.matches("[A-Za-z0-9_./-]+")) {
      throw new IllegalArgumentException(
          "pitr.archiveConfig must be a plain path (letters, digits, _ . / -)");
    }
    return pitr.pgfleetCommand()
        + " wal-fetch --config "
        + config
        + " --target "
        + target
        + " %f %p";
  }

  /**
   * restore_command with the prefetch spool {@link WalPrefetch#createSpool} made, if any: a segment
   * {@link WalPrefetch} put there is copied and removed (a failed copy is fatal to recovery, exit
   * 126, never "not archived"); any other file is asked of the worker ({@link WalRequests}) while
   * its marker says it is alive, and goes to wal-fetch when it does not, defers, or has not
   * answered within 10 s.
   */
  static String restoreCommand(PitrSettings pitr, String target, Optional<Path> spool) {
    String fetch = restoreCommand(pitr, target);
    return spool
        .map(
            dir -> {
              String answering = dir + "/" + WalRequests.ANSWERING;
              return "f="
                  + dir
                  + "/%f; if [ -f \"$f\" ]; then cp \"$f\" %p || exit 126; rm -f \"$f\"; elif [ "
                  // %% is PostgreSQL's escape for %: it rejects other unknown placeholders (16+)
                  + "$(($(date +%%s)-$(stat -c %%Y "
                  + answering
                  + " 2>/dev/null || echo 0))) -lt "
                  + WalRequests.ALIVE_SECONDS
                  + " ] && a=$(mktemp \"$f.ask.XXXXXX\" 2>/dev/null); then n=0; while [ $n -lt 200 ]"
                  + " && [ -f "
                  + answering
                  + " ]; do if [ -f \"$a.got\" ]; then cp \"$a.got\" %p; r=$?; rm -f \"$a\""
                  + " \"$a.got\"; [ $r -eq 0 ] || exit 126; exit 0; fi; if [ -f \"$a.none\" ]; then"
                  + " rm -f \"$a\" \"$a.none\"; exit 1; fi; [ -f \"$a.defer\" ] && break; sleep 0.05;"
                  + " n=$((n+1)); done; rm -f \"$a\" \"$a.defer\"; "
                  + fetch
                  + "; else "
                  + fetch
                  + "; fi";
            })
        .orElse(fetch);
  }

  /** Names the first archive gap after the backup's start, the usual reason recovery stops. */
  private static String gapHint(RunContext ctx, String target, BaseManifest backup) {
    try {
      WalCheck check = WalCheck.of(new WalArchive(ctx.store(), target).list());
      return check
          .firstGapAfter(SegmentNumbers.segmentOf(backup.timeline(), backup.startLsn()))
          .map(
              s ->
                  ". The WAL archive of "
                      + target
                      + " is missing segment "
                      + s
                      + ": recovery cannot pass it (pgfleet wal-check --target "
                      + target
                      + ")")
          .orElse("");
    } catch (RuntimeException e) {
      return "";
    }
  }
}
