package io.pgfleet.worker.config;

import io.pgfleet.commands.TargetName;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

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
 * @param allowedSources the other targets whose backups may be restored into this one ({@code
 *     sourceTarget}); empty: none. Each such restore is still confirmed, and signed under the
 *     default signature policy
 */
public record RestoreSettings(
    boolean allowOverwrite,
    boolean noOwner,
    boolean noPrivileges,
    ServerLogin admin,
    ServerLogin scratch,
    Set<String> allowedSources) {
  public static final RestoreSettings DEFAULTS =
      new RestoreSettings(false, true, true, null, null, Set.of());

  public RestoreSettings {
    allowedSources = allowedSources == null ? Set.of() : targetNames(allowedSources);
  }

  /** Whether a backup of {@code source}, another target, may be restored into this one. */
  public boolean allowsSource(String source) {
    return allowedSources.contains(source);
  }

  /** The login that manages databases on the target's server. */
  public ServerLogin adminOn(TargetConfig target) {
    return admin == null ? ServerLogin.of(target) : admin.on(target);
  }

  /** The login and server restore drills use. */
  public ServerLogin scratchFor(TargetConfig target) {
    return scratch == null ? adminOn(target) : scratch.on(target);
  }

  private static Set<String> targetNames(Collection<String> written) {
    Set<String> names = new LinkedHashSet<>();
    for (String name : written) {
      try {
        names.add(TargetName.require(name));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("allowedSources: " + e.getMessage(), e);
      }
    }
    return Collections.unmodifiableSet(names);
  }
}
