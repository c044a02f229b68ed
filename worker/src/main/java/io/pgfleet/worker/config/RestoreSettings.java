package io.pgfleet.worker.config;

/**
 * What restores and restore drills may do on a target, and with which logins.
 *
 * @param allowOverwrite whether destructive restores (replace the database, truncate tables) are
 *     allowed at all; each also needs {@code confirm} equal to the target's name
 * @param noOwner restore with {@code --no-owner}: objects belong to the target's user
 * @param noPrivileges restore with {@code --no-privileges}: no GRANT/REVOKE from the dump
 * @param admin creates, drops and renames databases and terminates sessions on the target's server;
 *     null: the target's own user (which then needs CREATEDB)
 * @param scratch where restore drills create their scratch databases; null: the target's server, as
 *     {@code admin}
 */
public record RestoreSettings(
    boolean allowOverwrite,
    boolean noOwner,
    boolean noPrivileges,
    ServerLogin admin,
    ServerLogin scratch) {
  public static final RestoreSettings DEFAULTS = new RestoreSettings(false, true, true, null, null);

  /** The login that manages databases on the target's server. */
  public ServerLogin adminOn(TargetConfig target) {
    return admin == null ? ServerLogin.of(target) : admin.on(target);
  }

  /** The login and server restore drills use. */
  public ServerLogin scratchFor(TargetConfig target) {
    return scratch == null ? adminOn(target) : scratch.on(target);
  }
}
