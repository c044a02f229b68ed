package io.pgfleet.bench.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * PostgreSQL's archiver over a copy of pg_wal with every segment ready at once (a server that has
 * fallen behind), calling {@code pgfleet wal-push --spool} through the launcher in name order and
 * marking each segment done when it exits 0, as the archiver does.
 */
final class SpooledArchiver {
  private final Path launcher;
  private final Path config;
  private final String target;
  private final Path pgWal;
  private final Path status;
  private final Path spool;
  private int jvms;

  SpooledArchiver(Path launcher, Path config, String target, Path dir) {
    this.launcher = launcher;
    this.config = config;
    this.target = target;
    this.pgWal = dir.resolve("pg_wal");
    this.status = pgWal.resolve("archive_status");
    this.spool = dir.resolve("spool");
  }

  /** Links the segments into pg_wal and marks them ready; not part of the measured time. */
  void prepare(List<Path> segments) throws IOException {
    Files.createDirectories(status);
    Files.createDirectories(spool);
    for (Path segment : segments) {
      Path name = segment.getFileName();
      Files.createLink(pgWal.resolve(name), segment.toAbsolutePath());
      Files.createFile(status.resolve(name + ".ready"));
    }
  }

  /** The segments as the archiver passes them (%p). */
  List<Path> pgWal(List<Path> segments) {
    return segments.stream().map(s -> pgWal.resolve(s.getFileName())).toList();
  }

  Object archive(Path segment) throws IOException, InterruptedException {
    String name = segment.getFileName().toString();
    if (!Files.exists(spool.resolve(name + ".ok"))) {
      jvms++; // no marker: the launcher starts a JVM
    }
    List<String> command =
        List.of(
            launcher.toString(),
            "wal-push",
            "--config",
            config.toString(),
            "--target",
            target,
            "--spool",
            spool.toString(),
            segment.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out));
    }
    Files.move(status.resolve(name + ".ready"), status.resolve(name + ".done"));
    return name;
  }

  /** How many calls found no marker and so started a JVM. */
  int jvms() {
    return jvms;
  }
}
