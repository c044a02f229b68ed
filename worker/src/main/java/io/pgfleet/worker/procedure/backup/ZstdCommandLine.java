package io.pgfleet.worker.procedure.backup;

import java.util.ArrayList;
import java.util.List;

/**
 * The worker's dump compression as options of the zstd command-line tool (zstd 1.4+), for comparing
 * the worker with the standalone tool at the same parameters: the level, the long-distance window
 * and level 2's smaller hash table ({@link StoredEncoding}).
 */
public final class ZstdCommandLine {
  private ZstdCommandLine() {}

  /** E.g. {@code -2 --long=24 --zstd=hlog=15}; add {@code -T1} for one thread as the worker has. */
  public static List<String> options(int level) {
    List<String> options = new ArrayList<>();
    options.add("-" + level);
    options.add("--long=" + StoredEncoding.LONG_WINDOW_LOG);
    if (level == 2) {
      options.add("--zstd=hlog=" + StoredEncoding.LEVEL_2_HASH_LOG);
    }
    return List.copyOf(options);
  }

  /** The tool compressing stdin to stdout with these options on one thread, as the worker does. */
  public static List<String> command(int level) {
    List<String> command = new ArrayList<>(List.of("zstd", "-q", "-c"));
    command.addAll(options(level));
    command.add("-T1");
    return List.copyOf(command);
  }
}
