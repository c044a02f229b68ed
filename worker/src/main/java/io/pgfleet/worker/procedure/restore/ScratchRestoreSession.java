package io.pgfleet.worker.procedure.restore;

import java.util.HashMap;
import java.util.Map;

/**
 * Session settings for pg_restore into a drill's scratch database, which is dropped when the drill
 * ends: {@code synchronous_commit=off} (a commit does not wait for its WAL flush; a crash loses the
 * scratch database, which nothing keeps anyway) and a larger {@code maintenance_work_mem}, so that
 * the PRIMARY KEY and index builds sort in memory instead of spilling to temporary files. Neither
 * changes a row the restore writes, nor what COPY TO prints of it, so the content the drill proves
 * is the same.
 */
final class ScratchRestoreSession {
  static final String OPTIONS = "-c synchronous_commit=off -c maintenance_work_mem=256MB";

  private ScratchRestoreSession() {}

  /** {@code libpq} plus these settings, for pg_restore only. */
  static Map<String, String> environment(Map<String, String> libpq) {
    Map<String, String> env = new HashMap<>(libpq);
    env.put("PGOPTIONS", OPTIONS);
    return env;
  }
}
