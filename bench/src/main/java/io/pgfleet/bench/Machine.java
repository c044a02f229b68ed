package io.pgfleet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a benchmark ran on, in one line for its report. */
public final class Machine {
  private Machine() {}

  /**
   * Cores, CPU model, memory, OS, JDK, the PostgreSQL server version given, and the load average
   * now: on a machine shared with other work, the numbers mean little without it.
   */
  public static String describe(String postgresVersion) {
    long memory =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    return String.format(
        Locale.ROOT,
        "%d cores (%s), %.0f GiB RAM, %s %s, Java %s, PostgreSQL %s, load average %.1f",
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        memory / (double) (1L << 30),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("java.version"),
        postgresVersion,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
