package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.wal.RecoverableWindow;
import io.pgfleet.worker.wal.WalArchive;
import java.util.List;
import java.util.Optional;

/** A target's recoverable window as the store holds it: base backups plus archived WAL. */
public final class RecoverableWindows {
  private RecoverableWindows() {}

  /**
   * The target's recoverable window now: from the oldest complete base backup in the store over its
   * archived WAL; empty when it has no base backup or archives no WAL.
   */
  public static Optional<RecoverableWindow> of(Artifacts store, String target) {
    List<BaseManifest> bases = BaseManifests.stored(store, target);
    if (bases.isEmpty()) {
      return Optional.empty();
    }
    List<WalArchive.Archived> files = new WalArchive(store, target).files();
    if (files.isEmpty()) {
      return Optional.empty();
    }
    BaseManifest oldest = bases.get(0);
    return Optional.of(
        RecoverableWindow.of(
            new RecoverableWindow.Start(oldest.startLsn(), oldest.timeline(), oldest.startedAt()),
            files));
  }
}
