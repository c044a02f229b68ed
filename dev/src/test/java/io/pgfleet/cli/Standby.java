package io.pgfleet.cli;

import io.pgfleet.local.LocalPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second data directory made from a {@link LocalPostgres} with pg_basebackup, run with pg_ctl as
 * the server's OS user on a port of its own: a streaming standby ({@code -R}) or a plain copy to
 * recover. {@link #close()} stops it (immediate mode) and leaves the files to the temp directory.
 */
final class Standby implements AutoCloseable {
  private final LocalPostgres primary;
  private final Path dataDir;
  private final int port;
  private boolean running;

  private Standby(LocalPostgres primary, Path dataDir, int port) {
    this.primary = primary;
    this.dataDir = dataDir;
    this.port = port;
  }

  /** pg_basebackup of {@code primary} into a new directory below {@code parent}. */
  static Standby copy(LocalPostgres primary, Path parent, String name, boolean standby)
      throws Exception {
    Files.setPosixFilePermissions(
        parent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Path dir = parent.resolve(name);
    List<String> command =
        new ArrayList<>(
            List.of(
                primary.binDir().resolve("pg_basebackup").toString(),
                "-d",
                "host=127.0.0.1 port="
                    + primary.port()
                    + " user="
                    + primary.superuser()
                    + " password="
                    + primary.superuserPassword(),
                "-D",
                dir.toString(),
                "-X",
                "stream",
                "-c",
                "fast"));
    if (standby) {
      command.add("-R");
    }
    run(primary, command);
    return new Standby(primary, dir, freePort());
  }

  Path dataDir() {
    return dataDir;
  }

  int port() {
    return port;
  }

  /** Appends settings to postgresql.auto.conf (as the server user: the file is theirs). */
  void configure(String lines) throws Exception {
    run(
        primary,
        List.of(
            "sh",
            "-c",
            "cat >> \"$1\" <<'EOC'\n" + lines + "\nEOC",
            "sh",
            dataDir.resolve("postgresql.auto.conf").toString()));
  }

  /** Starts the server on its own port; {@code -w}: until it accepts connections. */
  void start() throws Exception {
    configure("port = '" + port + "'");
    run(primary, pgCtl("start", "-w", "-t", "60", "-l", dataDir + ".log"));
    running = true;
  }

  void promote() throws Exception {
    run(primary, pgCtl("promote", "-w"));
  }

  String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  @Override
  public void close() throws Exception {
    if (running) {
      running = false;
      run(primary, pgCtl("stop", "-m", "immediate", "-w"));
    }
  }

  private List<String> pgCtl(String... args) {
    List<String> command = new ArrayList<>();
    command.add(primary.binDir().resolve("pg_ctl").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-D", dataDir.toString()));
    return command;
  }

  private static void run(LocalPostgres server, List<String> command) throws Exception {
    Process p =
        new ProcessBuilder(server.serverUserCommand(command)).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command.get(0) + " failed: " + out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
