package io.pgfleet.worker.procedure.terminate;

import io.pgfleet.commands.TerminateBackendsParams;
import io.pgfleet.worker.procedure.maintenance.Items;
import io.pgfleet.worker.procedure.maintenance.QueryText;
import java.util.Map;

/**
 * A client session of the target database as pg_stat_activity shows it, and whether a filter
 * matches it. The times are null where this role may not see them.
 *
 * @param backendStart identifies the session: a pid alone may be reused by a newer one
 */
record Backend(
    int pid,
    String backendStart,
    String user,
    String application,
    String state,
    Double activeSeconds,
    Double idleInTransactionSeconds,
    boolean superuser,
    String query,
    Double idleSeconds) {

  static final String PGFLEET_PREFIX = "pgfleet-";

  /** Whether the filter's conditions all hold (any time condition will do). */
  boolean matches(TerminateBackendsParams f) {
    boolean timed =
        f.activeLongerThanSeconds() == null
            && f.idleInTransactionLongerThanSeconds() == null
            && f.idleLongerThanSeconds() == null;
    if (f.activeLongerThanSeconds() != null && activeSeconds != null) {
      timed |= activeSeconds > f.activeLongerThanSeconds();
    }
    if (f.idleInTransactionLongerThanSeconds() != null && idleInTransactionSeconds != null) {
      timed |= idleInTransactionSeconds > f.idleInTransactionLongerThanSeconds();
    }
    if (f.idleLongerThanSeconds() != null && idleSeconds != null) {
      timed |= idleSeconds > f.idleLongerThanSeconds();
    }
    return timed
        && (f.applicationName() == null || f.applicationName().equals(application))
        && (f.user() == null || f.user().equals(user))
        && (f.pids() == null || f.pids().contains(pid));
  }

  /** Why a matching session is spared, or null when it may be hit. */
  String spared(TerminateBackendsParams f) {
    if (application != null
        && application.startsWith(PGFLEET_PREFIX)
        && !application.equals(f.applicationName())) {
      return "a pgfleet session (name its application_name to hit it)";
    }
    if (superuser && !f.includeSuperuserSessions()) {
      return "a superuser session (set includeSuperuserSessions to hit it)";
    }
    return null;
  }

  Map<String, Object> item(String result) {
    return Items.of(
        "pid", pid,
        "user", user,
        "application", application,
        "state", state,
        "activeSeconds", activeSeconds == null ? null : Math.round(activeSeconds),
        "idleInTransactionSeconds",
            idleInTransactionSeconds == null ? null : Math.round(idleInTransactionSeconds),
        "idleSeconds", idleSeconds == null ? null : Math.round(idleSeconds),
        "superuser", superuser,
        "query", QueryText.preview(query),
        "result", result);
  }
}
