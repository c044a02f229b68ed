package io.pgfleet.worker.config;

import io.pgfleet.runtime.config.SettingsBinder;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Checks every {@code restore.allowedSources} against the targets the config file knows: one under
 * {@code targets}, or a database a discovery server's include and exclude select (it may appear
 * later). A restore reads the source's catalog and prefix, which the workers of one fleet file
 * share, so a name the file cannot know is a mistake: found at start, not when a migration is
 * refused. A target listing itself is refused too: its own backups restore without the list.
 */
final class RestoreSources {
  private final Set<String> configured;
  private final List<DiscoverySource> servers;
  private final List<DatabaseGlobs> globs;

  private RestoreSources(Set<String> configured, List<DiscoverySource> servers) {
    this.configured = configured;
    this.servers = servers;
    this.globs = servers.stream().map(s -> new DatabaseGlobs(s.include(), s.exclude())).toList();
  }

  /**
   * Adds a problem for each unknown or self-naming source.
   *
   * @param configured every target name written under {@code targets}, also those with mistakes
   */
  static void check(
      Set<String> configured,
      Collection<TargetConfig> targets,
      List<DiscoverySource> servers,
      SettingsBinder b) {
    RestoreSources known = new RestoreSources(configured, servers);
    for (TargetConfig target : targets) {
      known.check("targets." + target.name(), target.name(), target.restore(), b);
    }
    for (DiscoverySource server : servers) {
      // a discovered database that names itself only allows what it may do anyway
      known.check("discovery." + server.name(), null, server.template().restore(), b);
    }
  }

  private void check(String path, String self, RestoreSettings restore, SettingsBinder b) {
    for (String source : restore.allowedSources()) {
      String at = path + ".restore.allowedSources: " + source;
      if (source.equals(self)) {
        b.problem(at + " is this target itself: its own backups restore without being listed");
      } else if (!knows(source)) {
        b.problem(
            at
                + " is no target of this file: name one under targets, or a database that a"
                + " discovery server's include and exclude select");
      }
    }
  }

  private boolean knows(String target) {
    if (configured.contains(target)) {
      return true;
    }
    for (int i = 0; i < servers.size(); i++) {
      if (!target.equals(servers.get(i).maintenanceDatabase()) && globs.get(i).selects(target)) {
        return true;
      }
    }
    return false;
  }
}
