package io.pgfleet.worker.procedure.basebackup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a base backup's time went, for its result's {@code phases}: the moments a phase ended, in
 * milliseconds since the backup started, and the time spent inside a phase that overlaps others
 * (waiting for pg_basebackup's output, hashing, handing bytes to the compressor).
 */
final class PhaseClock {
  private final long start = System.nanoTime();
  private final Map<String, Long> phases = new LinkedHashMap<>();

  /** Records {@code name} as ending now ({@code <name>AtMs}). */
  void mark(String name) {
    phases.put(name + "AtMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** Records {@code name} as having ended at {@code nanoTime}; nothing when it is 0 (never). */
  void markAt(String name, long nanoTime) {
    if (nanoTime != 0) {
      phases.put(name + "AtMs", TimeUnit.NANOSECONDS.toMillis(nanoTime - start));
    }
  }

  /** Records a duration measured elsewhere ({@code <name>Ms}). */
  void spent(String name, long nanos) {
    phases.merge(name + "Ms", TimeUnit.NANOSECONDS.toMillis(nanos), Long::sum);
  }

  /** Runs {@code step}, recording its duration as {@code <name>Ms}. */
  <T, E extends Exception> T time(String name, Step<T, E> step) throws E {
    long begin = System.nanoTime();
    try {
      return step.run();
    } finally {
      spent(name, System.nanoTime() - begin);
    }
  }

  interface Step<T, E extends Exception> {
    T run() throws E;
  }

  Map<String, Object> statistics() {
    return new LinkedHashMap<>(phases);
  }
}
