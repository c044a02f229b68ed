package io.pgfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and hands back what it printed. */
final class ChildProcess {

  private ChildProcess() {}

  /** What a finished command printed (stdout and stderr together) and how it exited. */
  record Result(int exitCode, String output) {}

  /**
   * Runs {@code command} in {@code workDir}. Output goes to a file rather than a pipe: {@code
   * pg_ctl start} leaves a daemon behind, and a pipe the daemon inherited would never reach EOF.
   */
  static Result run(List<String> command, Path workDir, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("pgfleet-command-", ".log");
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** Runs {@code command} and fails with its output unless it exits with 0. */
  static String runOrFail(List<String> command, Path workDir, Duration timeout) {
    Result result = run(command, workDir, timeout);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " exited with "
              + result.exitCode()
              + ":\n"
              + result.output().strip());
    }
    return result.output();
  }
}
