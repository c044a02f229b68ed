package io.pgfleet.worker.procedure.prune;

import io.pgfleet.worker.ledger.BackupCatalog;
import io.pgfleet.worker.procedure.basebackup.BaseManifest;
import java.util.Optional;

/** A cataloged base backup and its manifest, empty when the manifest is gone (incomplete). */
record CatalogedBase(BackupCatalog.Entry entry, Optional<BaseManifest> manifest) {}
