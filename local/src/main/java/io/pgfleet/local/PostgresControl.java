package io.pgfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** initdb and pg_ctl for one cluster, run as the server user. */
final class PostgresControl {

  private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);
  private static final int LOG_TAIL_LINES = 40;

  private final Path binDir;
  private final ServerUser serverUser;
  private final PostgresDirectories dirs;

  PostgresControl(Path binDir, ServerUser serverUser, PostgresDirectories dirs) {
    this.binDir = binDir;
    this.serverUser = serverUser;
    this.dirs = dirs;
  }

  /**
   * Creates the cluster: passwords (SCRAM) over TCP, trust on the unix socket. The password goes
   * through a file readable only by the server user, deleted right after.
   */
  void initdb(String superuser, String password) {
    Path pwfile = dirs.home().resolve("superuser.pw");
    try {
      Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
      serverUser.own(pwfile);
      ChildProcess.runOrFail(
          serverUser.command(
              List.of(
                  binDir.resolve("initdb").toString(),
                  "-D",
                  dirs.dataDir().toString(),
                  "-U",
                  superuser,
                  "--auth-local=trust",
                  "--auth-host=scram-sha-256",
                  "--pwfile=" + pwfile,
                  "--encoding=UTF8",
                  "--locale=C",
                  "--no-sync")),
          dirs.home(),
          INITDB_TIMEOUT);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the password file " + pwfile, e);
    } finally {
      try {
        Files.deleteIfExists(pwfile);
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete the password file " + pwfile, e);
      }
    }
  }

  /** Starts the server and waits until it accepts connections; failures quote the server log. */
  void start() {
    ChildProcess.Result result =
        pgCtl(
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            dirs.dataDir().toString(),
            "-l",
            dirs.logFile().toString());
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "PostgreSQL did not start: "
              + result.output().strip()
              + "\n--- last lines of "
              + dirs.logFile()
              + " ---\n"
              + dirs.logTail(LOG_TAIL_LINES));
    }
  }

  /** Stops the server in fast mode (open transactions roll back) and waits until it is down. */
  void stop() {
    ChildProcess.Result result = pgCtl("stop", "-m", "fast", "-w", "-D", dirs.dataDir().toString());
    if (result.exitCode() != 0) {
      throw new IllegalStateException("PostgreSQL did not stop: " + result.output().strip());
    }
  }

  private ChildProcess.Result pgCtl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binDir.resolve("pg_ctl").toString());
    command.addAll(List.of(args));
    return ChildProcess.run(serverUser.command(command), dirs.home(), PG_CTL_TIMEOUT);
  }
}
