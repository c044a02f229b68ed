package io.pgfleet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * CPU time spent during one side of a scenario, by the whole machine and by the benchmark's own JVM
 * (which holds the Kafka broker and S3Proxy, and in some scenarios the worker), and optionally by
 * one more process (a worker in a JVM of its own). On N cores a side's wall time cannot fall below
 * its CPU time divided by N, so these say what a target asks of each side's work. Linux only: the
 * machine's time is read from {@code /proc/stat}, a process's from {@code /proc/<pid>/stat}.
 */
public final class CpuMeter {
  /** Linux reports /proc times in USER_HZ ticks, 100 a second on every architecture it runs. */
  public static final double TICKS_PER_SECOND = 100.0;

  private final long hostTicks;
  private final long benchNanos;
  private final long otherPid;
  private final long otherTicks;

  private CpuMeter(long otherPid) {
    this.hostTicks = hostBusyTicks();
    this.benchNanos = benchJvmNanos();
    this.otherPid = otherPid;
    this.otherTicks = otherPid < 0 ? 0 : processTicks(otherPid);
  }

  /** What CPU seconds mean for wall time on this machine, for a report's note. */
  public static String floorNote() {
    int cores = Runtime.getRuntime().availableProcessors();
    return cores == 1
        ? "On 1 core a side takes at least its CPU seconds."
        : "On " + cores + " cores a side takes at least 1/" + cores + " of its CPU seconds.";
  }

  /** Starts measuring the machine and the benchmark's JVM. */
  public static CpuMeter start() {
    return new CpuMeter(-1);
  }

  /** Starts measuring the machine, the benchmark's JVM and process {@code pid}. */
  public static CpuMeter start(long pid) {
    return new CpuMeter(pid);
  }

  /**
   * CPU seconds since the start.
   *
   * @param host every process on the machine (user, nice, system and interrupts; not idle, I/O wait
   *     or the time the hypervisor gave to other machines)
   * @param benchJvm the benchmark's JVM: the broker, S3Proxy, the benchmark's own clients and,
   *     where the scenario runs it in-process, the worker
   * @param process the process given at the start, 0 if none
   */
  public record Used(double host, double benchJvm, double process) {
    /** The run whose machine-wide time is the median (the lower one of an even count). */
    public static Used median(List<Used> runs) {
      List<Used> sorted = runs.stream().sorted(Comparator.comparingDouble(Used::host)).toList();
      return sorted.get((sorted.size() - 1) / 2);
    }

    /** Everything else: PostgreSQL, pg_dump, compressors, other tools. */
    public double rest() {
      return host - benchJvm - process;
    }

    /**
     * E.g. {@code cpu 19.6 s (bench JVM 3.3, worker 7.9, rest 8.4)}; {@code processName} null for
     * none measured.
     */
    public String describe(String processName) {
      return processName == null
          ? String.format(
              Locale.ROOT, "cpu %.1f s (bench JVM %.1f, rest %.1f)", host, benchJvm, rest())
          : String.format(
              Locale.ROOT,
              "cpu %.1f s (bench JVM %.1f, %s %.1f, rest %.1f)",
              host,
              benchJvm,
              processName,
              process,
              rest());
    }
  }

  public Used used() {
    return new Used(
        (hostBusyTicks() - hostTicks) / TICKS_PER_SECOND,
        (benchJvmNanos() - benchNanos) / 1e9,
        otherPid < 0 ? 0 : (processTicks(otherPid) - otherTicks) / TICKS_PER_SECOND);
  }

  /** user + nice + system + irq + softirq of the first line of /proc/stat. */
  static long hostBusyTicks() {
    String cpu = firstLine(Path.of("/proc/stat"));
    long[] f = Arrays.stream(cpu.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
    return f[0] + f[1] + f[2] + f[5] + f[6];
  }

  /** utime + stime of a process (fields 14 and 15, counted after its parenthesised name). */
  public static long processTicks(long pid) {
    String stat = firstLine(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long benchJvmNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String firstLine(Path file) {
    try (var lines = Files.lines(file)) {
      return lines.findFirst().orElseThrow(() -> new IOException(file + " is empty"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
