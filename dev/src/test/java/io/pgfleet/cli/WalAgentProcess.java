package io.pgfleet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code pgfleet wal-agent} in its own JVM, as an operator runs it, and the shipped {@code
 * pgfleet-wal-push} client copied where the server's OS user can run it.
 */
final class WalAgentProcess implements AutoCloseable {
  private final Process process;

  private WalAgentProcess(Process process) {
    this.process = process;
  }

  static WalAgentProcess start(Path config, String target, Path pgWal, Path spool, Path log)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "wal-agent",
                    "--config",
                    config.toString(),
                    "--target",
                    target,
                    "--pg-wal",
                    pgWal.toString(),
                    "--spool",
                    spool.toString()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(spool.resolve("agent.alive"))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("wal-agent did not start: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
    return new WalAgentProcess(p);
  }

  /** Stops the agent as systemd does (SIGTERM) and waits for it. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  /**
   * The repository's {@code deploy/wal-agent/pgfleet-wal-push}, in {@code dir}, runnable by all.
   */
  static Path client(Path dir) throws IOException {
    Path repository = Path.of("").toAbsolutePath().getParent();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path script =
        Files.copy(
            repository.resolve("deploy/wal-agent/pgfleet-wal-push"),
            dir.resolve("pgfleet-wal-push"),
            StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  /** Runs the client as this user; returns its exit code and what it printed. */
  static Ran run(Path client, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(client.toString()));
    command.addAll(List.of(args));
    long start = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int code = p.waitFor();
    return new Ran(code, out, Duration.ofNanos(System.nanoTime() - start));
  }

  record Ran(int code, String output, Duration took) {}
}
