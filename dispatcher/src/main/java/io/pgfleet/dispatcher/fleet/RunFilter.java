package io.pgfleet.dispatcher.fleet;

import io.pgfleet.commands.result.RunState;
import java.time.Instant;

/**
 * Which runs to list, newest first; every field but {@code limit} may be null (no filter).
 *
 * @param from requested at or after
 * @param to requested before
 */
public record RunFilter(
    String target, String operation, RunState status, Instant from, Instant to, int limit) {
  public static final int MAX_LIMIT = 1000;

  public RunFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT + ", not " + limit);
    }
  }
}
