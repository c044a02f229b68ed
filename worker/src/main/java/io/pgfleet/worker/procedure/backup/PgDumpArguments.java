package io.pgfleet.worker.procedure.backup;

import io.pgfleet.commands.BackupParams;
import java.util.ArrayList;
import java.util.List;

/** What every dump passes to pg_dump, whatever its format. */
final class PgDumpArguments {
  static final String LOCK_WAIT = "60s";

  private PgDumpArguments() {}

  static List<String> common(BackupParams params, DumpSelection selection, String snapshotId) {
    List<String> args = new ArrayList<>();
    args.add("--compress=" + StoredEncoding.pgDumpLevel(params));
    args.add("--snapshot=" + snapshotId);
    args.add("--no-password");
    // A migration holding an exclusive lock must fail the backup (retryable by the next run), not
    // hang it for hours while the lease keeps it alive.
    args.add("--lock-wait-timeout=" + LOCK_WAIT);
    if (params.schemaOnly()) {
      args.add("--schema-only");
    }
    args.addAll(selection.pgDumpArguments());
    return args;
  }
}
