package io.pgfleet.worker.target;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The targets a worker serves now: the configured ones, and those discovery adds and retires while
 * the worker runs. Read from any thread; changed by discovery only.
 */
public final class LiveTargets {
  private final Map<String, TargetDatabase> byName = new ConcurrentHashMap<>();
  private volatile Set<String> names = Set.of();

  public LiveTargets(Map<String, TargetDatabase> configured) {
    byName.putAll(configured);
    names = snapshot();
  }

  /** Every target served now, by name (a live, read-only view). */
  public Map<String, TargetDatabase> view() {
    return Collections.unmodifiableMap(byName);
  }

  /** The names served now, sorted: the same set instance until the targets change. */
  public Set<String> names() {
    return names;
  }

  public synchronized void add(TargetDatabase target) {
    byName.put(target.config().name(), target);
    names = snapshot();
  }

  public synchronized void remove(String name) {
    if (byName.remove(name) != null) {
      names = snapshot();
    }
  }

  private Set<String> snapshot() {
    return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
  }
}
