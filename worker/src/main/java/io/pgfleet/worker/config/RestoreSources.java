package io.pgfleet.worker.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Notes on {@code restore.allowedSources} names that this file does not know: neither under {@code
 * targets} nor a database a discovery server's include and exclude select. Such a name is not an
 * error: another worker of the fleet (same topic prefix, bucket and ledger) may serve the source,
 * and a worker for staging needs no login to production to restore production's backups. A typo is
 * refused when a restore names the source, with the message saying where to add it. A target
 * listing itself changes nothing: its own backups restore without the list.
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
   * One note per listed name this file does not know, with where it is listed.
   *
   * @param configured every target name written under {@code targets}, also those with mistakes
   */
  static List<String> unknownNames(
      Set<String> configured, Collection<TargetConfig> targets, List<DiscoverySource> servers) {
    RestoreSources known = new RestoreSources(configured, servers);
    List<String> notes = new ArrayList<>();
    for (TargetConfig target : targets) {
      known.note("targets." + target.name(), target.restore(), notes);
    }
    for (DiscoverySource server : servers) {
      known.note("discovery." + server.name(), server.template().restore(), notes);
    }
    return notes;
  }

  private void note(String path, RestoreSettings restore, List<String> notes) {
    for (String source : restore.allowedSources()) {
      if (!knows(source)) {
        notes.add(
            path
                + ".restore.allowedSources: "
                + source
                + " is no target of this file (fine if another worker serves it; check the"
                + " spelling: a restore from a name no worker serves finds no backup)");
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
