package io.pgfleet.runtime;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a long-lived component (worker, dispatcher) opened, to be closed in reverse order: when it
 * stops, or when its start fails half-way.
 */
public final class Resources {
  private static final Logger log = LoggerFactory.getLogger(Resources.class);

  private Resources() {}

  /** Adds {@code resource} to those to close, and returns it. */
  public static <T extends AutoCloseable> T add(List<AutoCloseable> resources, T resource) {
    resources.add(resource);
    return resource;
  }

  /** Closes every resource, newest first; a failure is logged and the rest are still closed. */
  public static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn(
            "closing {} failed: {}", resources.get(i).getClass().getSimpleName(), e.getMessage());
      }
    }
    resources.clear();
  }
}
