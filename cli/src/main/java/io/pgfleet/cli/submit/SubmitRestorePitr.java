package io.pgfleet.cli.submit;

import io.pgfleet.commands.ArtifactSelector;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.RecoveryTargetAction;
import io.pgfleet.commands.RestorePitrParams;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet submit restore-pitr}. */
@Command(
    name = "restore-pitr",
    mixinStandardHelpOptions = true,
    description = {
      "Point-in-time recovery into a new data directory on the worker's host, started on --port;"
          + " the running original is never touched. With --in-place --confirm TARGET: into the"
          + " target's own data directory (pitr.dataDirectory) once its server is stopped, the old"
          + " directory moved aside.",
      "Without a --target-* option recovery runs to the end of the archive and promotes."
    })
public final class SubmitRestorePitr extends OperationSubmit {
  SubmitRestorePitr() {
    super(Operation.RESTORE_PITR);
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  RecoveryTarget recoveryTarget = new RecoveryTarget();

  @Option(
      names = "--base-backup",
      description =
          "latest (default: the newest finished before --target-time) or the s3 URI of a"
              + " cataloged base backup (pgfleet backups list)")
  String baseBackup = ArtifactSelector.LATEST;

  @Option(
      names = "--directory",
      description = "The new data directory's name below the target's pitr.restoreRoot")
  String directory;

  @Option(names = "--port", description = "The port the recovered server listens on")
  Integer port;

  @Option(
      names = "--in-place",
      description =
          "Recover into the target's own data directory (pitr.dataDirectory) instead; its server"
              + " must be stopped. Destructive: needs --confirm and a signature")
  boolean inPlace;

  @Option(names = "--confirm", description = "The target's name; --in-place needs it")
  String confirm;

  @Option(
      names = "--target-action",
      paramLabel = "promote|pause|shutdown",
      description =
          "At the target: promote (default: writable on a new timeline), pause (read-only, in"
              + " recovery, until SELECT pg_wal_replay_resume()) or shutdown (stopped, ready to"
              + " start again); pause and shutdown need a --target-* option")
  String targetAction = RecoveryTargetAction.PROMOTE.wireName();

  @Override
  OperationParams params() {
    RecoveryTarget t = recoveryTarget;
    return new RestorePitrParams(
        baseBackup,
        t.time,
        t.lsn,
        t.xid,
        t.name,
        directory,
        port,
        RecoveryTargetAction.fromWireName(targetAction),
        inPlace ? Boolean.TRUE : null,
        confirm);
  }
}
