package io.pgfleet.bench.scale;

import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.WorkerConfigFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A worker in a process of its own, so that its CPU time and memory are its own: started from a
 * config file, it answers {@code heap} on stdin with its heap in use after a GC and stops at {@code
 * stop} or the end of stdin. Its answers start with {@link #PREFIX}; anything else is log output.
 */
public final class IdleWorkerMain {
  static final String PREFIX = "pgfleet-bench: ";

  private IdleWorkerMain() {}

  public static void main(String[] args) throws Exception {
    try (Worker worker = Worker.start(WorkerConfigFile.load(Path.of(args[0])));
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      System.out.println(PREFIX + "started");
      System.out.flush();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("stop")) {
          break;
        }
        if (line.equals("heap")) {
          System.gc();
          long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
          System.out.println(PREFIX + "heap " + used);
          System.out.flush();
        }
      }
    }
    System.exit(0);
  }
}
