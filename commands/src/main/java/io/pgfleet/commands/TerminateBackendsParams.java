package io.pgfleet.commands;

import java.util.List;

/**
 * Parameters of terminate-backends: which sessions of the target database to cancel or terminate. A
 * session matches when it passes every filter given; the three time filters match either way
 * (running too long, idle in a transaction too long, or idle too long). At least one filter is
 * required.
 *
 * @param action {@code cancel} (stop the current query) or {@code terminate} (end the session)
 * @param activeLongerThanSeconds a query running for longer than this
 * @param idleInTransactionLongerThanSeconds idle inside an open transaction for longer than this
 * @param idleLongerThanSeconds idle (no transaction open) for longer than this: the runbooks' "kill
 *     idle connections" and "reset connection pool"
 * @param applicationName sessions with exactly this application_name
 * @param user sessions of exactly this role
 * @param includeSuperuserSessions also hit sessions of superusers (default false)
 * @param dryRun only list what would be hit (default false)
 * @param confirm the target's name, required unless dryRun: this operation is destructive
 * @param pids only these sessions, by process id; each must be a client session of the target
 *     database, or the run fails before signalling anything
 */
public record TerminateBackendsParams(
    String action,
    Integer activeLongerThanSeconds,
    Integer idleInTransactionLongerThanSeconds,
    String applicationName,
    String user,
    Boolean includeSuperuserSessions,
    Boolean dryRun,
    String confirm,
    Integer idleLongerThanSeconds,
    List<Integer> pids)
    implements OperationParams {
  public static final String CANCEL = "cancel";
  public static final String TERMINATE = "terminate";
  public static final int MAX_PIDS = 100;

  public TerminateBackendsParams {
    if (!CANCEL.equals(action) && !TERMINATE.equals(action)) {
      throw new IllegalArgumentException(
          "action must be 'cancel' or 'terminate', not " + Printable.quote(action));
    }
    includeSuperuserSessions = includeSuperuserSessions != null && includeSuperuserSessions;
    dryRun = dryRun != null && dryRun;
    pids = pids == null ? null : checkedPids(pids);
    if (activeLongerThanSeconds == null
        && idleInTransactionLongerThanSeconds == null
        && idleLongerThanSeconds == null
        && applicationName == null
        && user == null
        && pids == null) {
      throw new IllegalArgumentException(
          "give at least one filter: activeLongerThanSeconds, idleInTransactionLongerThanSeconds,"
              + " idleLongerThanSeconds, applicationName, user or pids");
    }
  }

  /** Without the pid filter, as before it existed. */
  public TerminateBackendsParams(
      String action,
      Integer activeLongerThanSeconds,
      Integer idleInTransactionLongerThanSeconds,
      String applicationName,
      String user,
      Boolean includeSuperuserSessions,
      Boolean dryRun,
      String confirm,
      Integer idleLongerThanSeconds) {
    this(
        action,
        activeLongerThanSeconds,
        idleInTransactionLongerThanSeconds,
        applicationName,
        user,
        includeSuperuserSessions,
        dryRun,
        confirm,
        idleLongerThanSeconds,
        null);
  }

  /** Without the idle filter, as before it existed. */
  public TerminateBackendsParams(
      String action,
      Integer activeLongerThanSeconds,
      Integer idleInTransactionLongerThanSeconds,
      String applicationName,
      String user,
      Boolean includeSuperuserSessions,
      Boolean dryRun,
      String confirm) {
    this(
        action,
        activeLongerThanSeconds,
        idleInTransactionLongerThanSeconds,
        applicationName,
        user,
        includeSuperuserSessions,
        dryRun,
        confirm,
        null);
  }

  private static List<Integer> checkedPids(List<Integer> pids) {
    if (pids.isEmpty() || pids.size() > MAX_PIDS) {
      throw new IllegalArgumentException(
          "pids, when given, names 1 to " + MAX_PIDS + " process ids, not " + pids.size());
    }
    for (Integer pid : pids) {
      if (pid == null || pid <= 0) {
        throw new IllegalArgumentException(
            "pids must be positive process ids (pg_stat_activity.pid), not " + pid);
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(pids));
  }

  public boolean terminates() {
    return TERMINATE.equals(action);
  }
}
