package io.pgfleet.worker.discovery;

import io.pgfleet.commands.Printable;
import io.pgfleet.worker.config.DiscoverySource;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.metrics.DiscoveryMetrics;
import io.pgfleet.worker.target.LiveTargets;
import io.pgfleet.worker.target.TargetDatabase;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One discovery source, kept in step: each refresh serves the databases that appeared and retires
 * those that are gone. A failed read changes nothing (a server that is down retires no target).
 */
final class SourceWatch {
  private static final Logger log = LoggerFactory.getLogger(SourceWatch.class);

  private final DiscoverySource source;
  private final ServerDatabases databases;
  private final LiveTargets targets;
  private final Consumer<Set<String>> createTopics;
  private final Map<String, Retirement> retired;
  private final DiscoveryMetrics metrics;
  private final Clock clock;
  private final Set<String> owned = new TreeSet<>();
  private Set<String> notServed = Set.of();
  private volatile String failure;

  SourceWatch(
      DiscoverySource source,
      LiveTargets targets,
      Consumer<Set<String>> createTopics,
      Map<String, Retirement> retired,
      DiscoveryMetrics metrics,
      Clock clock) {
    this.source = source;
    this.databases = new ServerDatabases(source);
    this.targets = targets;
    this.createTopics = createTopics;
    this.retired = retired;
    this.metrics = metrics;
    this.clock = clock;
    metrics.watch(source.name());
  }

  String name() {
    return source.name();
  }

  /** Why the last read failed, or null when it succeeded. */
  String failure() {
    return failure;
  }

  /** A refresh on the timer: an unexpected exception must not end the timer's later refreshes. */
  void refreshSafely() {
    try {
      refresh();
    } catch (RuntimeException e) {
      failed("refresh failed: " + e);
    }
  }

  void refresh() {
    Map<String, TargetConfig> found;
    try {
      found = databases.read();
    } catch (Exception e) {
      failed("cannot list its databases: " + e.getMessage());
      return;
    }
    metrics.unservable(source.name(), databases.unservable().size());
    try {
      serve(found);
    } catch (RuntimeException e) {
      failed("cannot serve new databases: " + e.getMessage());
      return;
    }
    retire(found.keySet());
    failure = null;
    metrics.targets(source.name(), owned.size());
  }

  private void serve(Map<String, TargetConfig> found) {
    Set<String> fresh = new TreeSet<>();
    Set<String> taken = new HashSet<>();
    for (String name : found.keySet()) {
      if (owned.contains(name)) {
        continue;
      }
      (targets.view().containsKey(name) ? taken : fresh).add(name);
    }
    if (!taken.equals(notServed) && !taken.isEmpty()) {
      log.info(
          "discovery {}: {} already served under the same name (a configured target or another"
              + " server's database); those settings win",
          source.name(),
          taken);
    }
    notServed = taken;
    if (fresh.isEmpty()) {
      return;
    }
    createTopics.accept(fresh);
    for (String name : fresh) {
      // Leaves the retired list before it is served, so whoever sees it served sees it current.
      retired.remove(name);
      owned.add(name);
      targets.add(new TargetDatabase(found.get(name)));
    }
    log.info("discovery {}: serving {} new database(s): {}", source.name(), fresh.size(), fresh);
  }

  private void retire(Set<String> present) {
    for (String name : List.copyOf(owned)) {
      if (present.contains(name)) {
        continue;
      }
      // Recorded before it stops being served, so whoever sees it gone sees why.
      retired.put(name, new Retirement(name, source.name(), clock.instant()));
      metrics.retired(source.name());
      owned.remove(name);
      targets.remove(name);
      log.warn(
          "discovery {}: target {} RETIRED: its database is no longer on the server (dropped,"
              + " renamed, or closed to connections); a run in progress finishes, commands still"
              + " on its topic wait until a worker serves it again",
          source.name(),
          name);
    }
  }

  private void failed(String why) {
    failure = Printable.cut(new TargetDatabase(source.template()).redact(why), 300);
    metrics.failed(source.name());
    log.warn("discovery {}: {}; its targets stay as they were", source.name(), failure);
  }
}
