package io.pgfleet.bench.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The archive_command processes of both sides: pgfleet wal-push and the runbooks' cp. */
final class ArchiveCommands {
  private final List<String> pgfleet;

  /** {@code pgfleet}: a java executable first; JVM options go after it. */
  ArchiveCommands(List<String> pgfleet) {
    this.pgfleet = List.copyOf(pgfleet);
  }

  Object walPush(List<String> jvmOptions, Path config, String target, Path segment)
      throws IOException, InterruptedException {
    List<String> command = command(jvmOptions);
    command.addAll(
        List.of("wal-push", "--config", config.toString(), "--target", target, segment.toString()));
    return exec(command);
  }

  Object version(List<String> jvmOptions) throws IOException, InterruptedException {
    List<String> command = command(jvmOptions);
    command.add("--version");
    return exec(command);
  }

  private List<String> command(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(pgfleet.get(0));
    command.addAll(jvmOptions);
    command.addAll(pgfleet.subList(1, pgfleet.size()));
    return command;
  }

  /** PostgreSQL runs archive_command through the shell: so does the baseline. */
  static Object cp(Path segment, Path archive) throws IOException, InterruptedException {
    return exec(
        List.of("sh", "-c", "cp " + segment + " " + archive.resolve(segment.getFileName())));
  }

  /** cp, then fsync of the copy (coreutils' {@code sync FILE}): a copy that survives a crash. */
  static Object cpDurable(Path segment, Path archive) throws IOException, InterruptedException {
    Path copy = archive.resolve(segment.getFileName());
    return exec(List.of("sh", "-c", "cp " + segment + " " + copy + " && sync " + copy));
  }

  static Object exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited with " + code + ": " + new String(out));
    }
    return code;
  }
}
