package io.pgfleet.commands;

import java.time.Instant;
import java.util.stream.Stream;

/**
 * Parameters of a point-in-time recovery: into a new data directory beside the running original,
 * which is never touched, or, with {@code inPlace}, into the target's own data directory once its
 * server is stopped (the runbooks' procedure; the old directory is moved aside, never deleted). At
 * most one recovery target; none recovers to the end of the archive.
 *
 * @param backup {@code latest} (default: the newest base backup finished before targetTime) or a s3
 *     URI of a base backup (its base.tar.zst, as cataloged)
 * @param directory the new data directory's name below the target's pitr.restoreRoot; not with
 *     inPlace
 * @param port the port the recovered server listens on; not with inPlace (the server keeps its own)
 * @param targetAction what the server does at the target: {@code promote} (default), {@code pause}
 *     or {@code shutdown}; the last two need a recovery target (PostgreSQL ignores the action when
 *     recovery runs to the end of the archive)
 * @param inPlace recover into the target's own data directory ({@code pitr.dataDirectory}) while
 *     its server is stopped: destructive, so signed and confirmed
 * @param confirm the target's name, required with inPlace
 */
public record RestorePitrParams(
    String backup,
    Instant targetTime,
    String targetLsn,
    String targetXid,
    String targetName,
    String directory,
    Integer port,
    RecoveryTargetAction targetAction,
    Boolean inPlace,
    String confirm)
    implements OperationParams {
  public RestorePitrParams {
    backup = ArtifactSelector.require(backup);
    targetAction = targetAction == null ? RecoveryTargetAction.PROMOTE : targetAction;
    long targets =
        Stream.of(targetTime, targetLsn, targetXid, targetName).filter(t -> t != null).count();
    if (targets > 1) {
      throw new IllegalArgumentException(
          "give at most one of targetTime, targetLsn, targetXid, targetName");
    }
    if (targets == 0 && targetAction != RecoveryTargetAction.PROMOTE) {
      throw new IllegalArgumentException(
          "targetAction "
              + targetAction.wireName()
              + " needs a recovery target (targetTime, targetLsn, targetXid or targetName):"
              + " recovery to the end of the archive always promotes");
    }
    if (targetLsn != null && !targetLsn.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")) {
      throw new IllegalArgumentException("targetLsn must look like 0/3000060, not " + targetLsn);
    }
    if (targetXid != null && !targetXid.matches("[0-9]{1,20}")) {
      throw new IllegalArgumentException("targetXid must be a transaction id, not " + targetXid);
    }
    if (targetName != null && !targetName.matches("[A-Za-z0-9_.:-]{1,63}")) {
      throw new IllegalArgumentException(
          "targetName must be a restore point name (letters, digits, _ . : -)");
    }
    if (Boolean.TRUE.equals(inPlace)) {
      if (directory != null || port != null) {
        throw new IllegalArgumentException(
            "inPlace recovers into the target's own data directory (pitr.dataDirectory) on its own"
                + " port: give neither directory nor port");
      }
    } else if (directory == null || !directory.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")) {
      throw new IllegalArgumentException(
          "directory must be a plain name (letters, digits, _ . -) below pitr.restoreRoot");
    } else if (port == null || port < 1024 || port > 65535) {
      throw new IllegalArgumentException("port must be between 1024 and 65535");
    }
  }

  /** A recovery into a new data directory, the server doing {@code targetAction} at the target. */
  public RestorePitrParams(
      String backup,
      Instant targetTime,
      String targetLsn,
      String targetXid,
      String targetName,
      String directory,
      Integer port,
      RecoveryTargetAction targetAction) {
    this(
        backup,
        targetTime,
        targetLsn,
        targetXid,
        targetName,
        directory,
        port,
        targetAction,
        null,
        null);
  }

  /** Whether the recovery replaces the target's own data directory (destructive). */
  public boolean replacesDataDirectory() {
    return Boolean.TRUE.equals(inPlace);
  }

  /** A recovery that promotes at the target. */
  public RestorePitrParams(
      String backup,
      Instant targetTime,
      String targetLsn,
      String targetXid,
      String targetName,
      String directory,
      Integer port) {
    this(backup, targetTime, targetLsn, targetXid, targetName, directory, port, null);
  }
}
