package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.commands.RecoveryTargetAction;
import io.pgfleet.worker.procedure.Cancellation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The server started on a recovered data directory, watched until it has done its target action:
 * promoted, paused at the target, or stopped there.
 */
final class RecoveredServer {
  private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(30);

  private final Path binDir;
  private final String user;
  private final Path dir;
  private final Path log;

  RecoveredServer(Path serverBinDir, String user, Path dir) {
    this.binDir = serverBinDir;
    this.user = user;
    this.dir = dir;
    this.log = dir.resolve("pgfleet-recovery.log");
  }

  List<String> startCommand() {
    return List.of(pgCtl(), "-D", dir.toString(), "-l", log.toString(), "start");
  }

  List<String> stopCommand() {
    return List.of(pgCtl(), "-D", dir.toString(), "-m", "fast", "stop");
  }

  List<String> promoteCommand() {
    return List.of(pgCtl(), "-D", dir.toString(), "promote");
  }

  private String pgCtl() {
    return binDir.resolve("pg_ctl").toString();
  }

  /**
   * Starts the server and waits, at most {@link #RECOVERY_TIMEOUT}, until it has done {@code
   * action}. A server that stops on its own fails unless {@code action} is shutdown and it stopped
   * cleanly still in recovery: then the point comes from its control file, without an LSN.
   */
  RecoveryReached startAndAwait(
      int port,
      String database,
      String login,
      String password,
      RecoveryTargetAction action,
      Cancellation c)
      throws IOException, InterruptedException, RecoveryFailed {
    // One bound for the whole wait. pg_ctl waits 60 s by default for connections, which a hot
    // standby accepts only once consistent: a base backup taken under heavy writes may need longer
    Instant deadline = Instant.now().plus(RECOVERY_TIMEOUT);
    List<String> startAndWait = new ArrayList<>(startCommand());
    startAndWait.addAll(startAndWait.size() - 1, List.of("-t", "" + RECOVERY_TIMEOUT.toSeconds()));
    Process start =
        new ProcessBuilder(ServerCommand.asServerUser(user, startAndWait))
            .redirectErrorStream(true)
            .start();
    c.onCancel(start::destroyForcibly);
    String out = new String(start.getInputStream().readAllBytes());
    int started = start.waitFor();
    c.check(); // a cancel kills pg_ctl mid-wait: that is the run's cancel, not a failed start
    if (started != 0) {
      // pg_ctl start -w fails when the postmaster exits before it saw it accept connections
      if (action != RecoveryTargetAction.SHUTDOWN) {
        throw new RecoveryFailed("pg_ctl start failed: " + out.trim() + " " + fatalLines());
      }
      if (!running()) {
        return stoppedAtTarget("pg_ctl start: " + out.trim());
      }
    }
    ReplayProbe probe = new ReplayProbe(action);
    while (Instant.now().isBefore(deadline)) {
      c.check();
      if (action == RecoveryTargetAction.SHUTDOWN) {
        if (!running()) {
          return stoppedAtTarget("");
        }
      } else {
        try (Connection conn = connect(port, database, login, password)) {
          Optional<RecoveryReached> reached = probe.reached(conn);
          if (reached.isPresent()) {
            if (action == RecoveryTargetAction.PAUSE) {
              requireStoppedAtTarget("paused");
            }
            return reached.get();
          }
        } catch (SQLException e) {
          if (!running()) {
            throw new RecoveryFailed("the recovered server stopped: " + fatalLines());
          }
        }
      }
      Thread.sleep(500);
    }
    throw new RecoveryFailed(
        "recovery did not "
            + probe.goal()
            + " within "
            + RECOVERY_TIMEOUT
            + "; the server runs on");
  }

  private RecoveryReached stoppedAtTarget(String pgCtlSaid)
      throws RecoveryFailed, InterruptedException {
    ControlData control;
    try {
      control = ControlData.read(binDir, user, dir);
    } catch (IOException e) {
      throw new RecoveryFailed("the recovered server stopped: " + e.getMessage());
    }
    if (!control.shutDownInRecovery()) {
      throw new RecoveryFailed(
          "the recovered server stopped before its recovery target (cluster state "
              + control.state()
              + "): "
              + (pgCtlSaid + " " + fatalLines()).trim());
    }
    requireStoppedAtTarget("stopped");
    return new RecoveryReached(null, null, control.timeline());
  }

  /**
   * A pause or a stop in recovery is the target's only when the server logged where recovery
   * stopped: PostgreSQL 14+ also pauses replay at a parameter change its settings cannot follow,
   * and a server stopped by hand mid-recovery is shut down in recovery too.
   */
  private void requireStoppedAtTarget(String state) throws RecoveryFailed {
    if (recoveryStop().isEmpty()) {
      throw new RecoveryFailed(
          "the recovered server "
              + state
              + " in recovery without reaching its recovery target (no \"recovery stopping\" in"
              + " its log): "
              + (logLines("paus", "hot standby is not possible") + " " + fatalLines()).trim());
    }
  }

  private String logLines(String... needles) {
    try {
      return String.join(
          " | ",
          Files.readAllLines(log).stream()
              .filter(l -> Arrays.stream(needles).anyMatch(l::contains))
              .toList());
    } catch (IOException e) {
      return "";
    }
  }

  /** A postmaster.pid whose process is alive: a killed postmaster leaves its file behind. */
  private boolean running() {
    Path pidFile = dir.resolve("postmaster.pid");
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | RuntimeException e) {
      // absent, or being written: its existence is all there is to go by
      return Files.exists(pidFile);
    }
  }

  private Connection connect(int port, String database, String login, String password)
      throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", login);
    p.setProperty("password", password);
    p.setProperty("ApplicationName", "pgfleet-restore-pitr");
    p.setProperty("sslmode", "disable");
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
  }

  /** The FATAL / PANIC lines of the recovery log, which say why recovery stopped. */
  String fatalLines() {
    try {
      return String.join(
          " | ",
          Files.readAllLines(log).stream()
              .filter(l -> l.contains("FATAL") || l.contains("PANIC"))
              .toList());
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  /**
   * Where the server's log says recovery stopped ("recovery stopping before commit of transaction
   * 745, time ..."), if it logs in English; empty otherwise.
   */
  Optional<String> recoveryStop() {
    try {
      return Files.readAllLines(log).stream()
          .filter(l -> l.contains("recovery stopping "))
          .reduce((first, last) -> last)
          .map(l -> l.substring(l.indexOf("recovery stopping ")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
