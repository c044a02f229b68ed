package io.pgfleet.commands;

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
    Integer idleLongerThanSeconds)
    implements OperationParams {
  public static final String CANCEL = "cancel";
  public static final String TERMINATE = "terminate";

  public TerminateBackendsParams {
    if (!CANCEL.equals(action) && !TERMINATE.equals(action)) {
      throw new IllegalArgumentException(
          "action must be 'cancel' or 'terminate', not " + Printable.quote(action));
    }
    includeSuperuserSessions = includeSuperuserSessions != null && includeSuperuserSessions;
    dryRun = dryRun != null && dryRun;
    if (activeLongerThanSeconds == null
        && idleInTransactionLongerThanSeconds == null
        && idleLongerThanSeconds == null
        && applicationName == null
        && user == null) {
      throw new IllegalArgumentException(
          "give at least one filter: activeLongerThanSeconds, idleInTransactionLongerThanSeconds,"
              + " idleLongerThanSeconds, applicationName or user");
    }
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

  public boolean terminates() {
    return TERMINATE.equals(action);
  }
}
