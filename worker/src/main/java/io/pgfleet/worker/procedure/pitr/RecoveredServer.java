package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.worker.procedure.Cancellation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/** The server started on a recovered data directory, watched until recovery has ended. */
final class RecoveredServer {
  private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(30);

  private final Path pgCtl;
  private final String user;
  private final Path dir;
  private final Path log;

  RecoveredServer(Path serverBinDir, String user, Path dir) {
    this.pgCtl = serverBinDir.resolve("pg_ctl");
    this.user = user;
    this.dir = dir;
    this.log = dir.resolve("pgfleet-recovery.log");
  }

  List<String> startCommand() {
    return List.of(pgCtl.toString(), "-D", dir.toString(), "-l", log.toString(), "start");
  }

  List<String> stopCommand() {
    return List.of(pgCtl.toString(), "-D", dir.toString(), "-m", "fast", "stop");
  }

  RecoveryReached startAndAwait(
      int port, String database, String login, String password, Cancellation c)
      throws IOException, InterruptedException, RecoveryFailed {
    Process start =
        new ProcessBuilder(ServerCommand.asServerUser(user, startCommand()))
            .redirectErrorStream(true)
            .start();
    c.onCancel(start::destroyForcibly);
    String out = new String(start.getInputStream().readAllBytes());
    if (start.waitFor() != 0) {
      throw new RecoveryFailed("pg_ctl start failed: " + out.trim() + " " + fatalLines());
    }
    Instant deadline = Instant.now().plus(RECOVERY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      c.check();
      try (Connection conn = connect(port, database, login, password);
          Statement st = conn.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT pg_is_in_recovery(), COALESCE(pg_last_wal_replay_lsn(), CASE WHEN"
                      + " NOT pg_is_in_recovery() THEN pg_current_wal_lsn() END)::text,"
                      + " pg_last_xact_replay_timestamp(), (SELECT timeline_id FROM"
                      + " pg_control_checkpoint())")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          var time = rs.getTimestamp(3);
          return new RecoveryReached(
              rs.getString(2), time == null ? null : time.toInstant(), rs.getInt(4));
        }
      } catch (SQLException e) {
        if (!running()) {
          throw new RecoveryFailed("the recovered server stopped: " + fatalLines());
        }
      }
      Thread.sleep(500);
    }
    throw new RecoveryFailed("recovery did not end within " + RECOVERY_TIMEOUT);
  }

  private boolean running() {
    return Files.exists(dir.resolve("postmaster.pid"));
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
}
