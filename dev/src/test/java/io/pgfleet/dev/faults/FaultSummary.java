package io.pgfleet.dev.faults;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One line per fault scenario in {@code target/fault-summary.txt}, which the build prints at the
 * end: what was done, and what was lost or executed twice (the guarantees say: nothing). The build
 * deletes the file before the tests run; the suite runs in two JVMs, which append under a lock.
 */
final class FaultSummary {
  private static final Path FILE = Path.of("target", "fault-summary.txt");
  private static final String HEADER =
      String.format(
          "%nfault-injection suite (tag \"faults\")%n%-34s %7s %9s %10s %5s %10s%n",
          "scenario", "trials", "commands", "executions", "lost", "duplicated");

  private FaultSummary() {}

  static synchronized void record(
      String scenario, int trials, int commands, int executions, int lost, int duplicated) {
    Path parent = FILE.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
      try (FileChannel file =
              FileChannel.open(
                  FILE,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.APPEND);
          FileLock lock = file.lock()) {
        String line =
            String.format(
                "%-34s %7d %9d %10d %5d %10d%n",
                scenario, trials, commands, executions, lost, duplicated);
        String text = file.size() == 0 ? HEADER + line : line;
        file.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + FILE, e);
    }
  }
}
