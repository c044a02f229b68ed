package io.pgfleet.worker.procedure.basebackup;

import java.util.List;

/** A base backup in the store: its files, base.tar first, and pg_basebackup's backup_manifest. */
record TakenBaseBackup(List<BaseManifest.File> files, byte[] backupManifest) {}
