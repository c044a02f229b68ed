package io.pgfleet.bench.pitr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;

/**
 * The archive_command side's recovery: a plain pg_basebackup copy taken beside pgfleet's base
 * backup, recovered with {@code restore_command = 'cp <archive>/%f %p'} to the end of that archive
 * on a port of its own, as a runbook would.
 */
final class CopyRecovery {
  private final RecoveryRig rig;
  private final Path copy;

  private CopyRecovery(RecoveryRig rig, Path copy) {
    this.rig = rig;
    this.copy = copy;
  }

  /** {@code pg_basebackup -X stream -c fast} of the rig's server, as the server's OS user. */
  static CopyRecovery take(RecoveryRig rig, Path parent) throws Exception {
    Path dir = RecoveryRig.open(Files.createDirectories(parent));
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    Path copy = dir.resolve("base");
    var pg = rig.server();
    rig.asServerUser(
        List.of(
            pg.binDir().resolve("pg_basebackup").toString(),
            "-d",
            "host=127.0.0.1 port="
                + pg.port()
                + " user="
                + pg.superuser()
                + " password="
                + pg.superuserPassword(),
            "-D",
            copy.toString(),
            "-X",
            "stream",
            "-c",
            "fast"));
    return new CopyRecovery(rig, copy);
  }

  /**
   * Recovers a copy of the base copy (named {@code name}) from {@code archive} to its end; returns
   * max({@code at}) of the writer's table, and stops the server.
   */
  Timestamp recoverLastCommit(Path archive, String name) throws Exception {
    var pg = rig.server();
    Path dir = copy.resolveSibling(name);
    rig.asServerUser(List.of("cp", "-a", copy.toString(), dir.toString()));
    int port = RecoveryRig.freePort();
    rig.asServerUser(
        List.of(
            "sh",
            "-c",
            "touch \"$1/recovery.signal\" && cat >> \"$1/postgresql.auto.conf\" <<'EOC'\n"
                + "restore_command = 'cp "
                + archive
                + "/%f %p'\n"
                + "recovery_target_action = 'promote'\n"
                + "archive_mode = 'off'\n"
                + "port = '"
                + port
                + "'\nEOC",
            "sh",
            dir.toString()));
    List<String> pgCtl = List.of(pg.binDir().resolve("pg_ctl").toString(), "-D", dir.toString());
    rig.asServerUser(concat(pgCtl, "-w", "-t", "600", "-l", dir + ".log", "start"));
    try {
      long deadline = System.nanoTime() + 600_000_000_000L;
      while (System.nanoTime() < deadline) {
        try (Connection c = rig.connect(port, "postgres");
            Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
          rs.next();
          if (!rs.getBoolean(1)) {
            break;
          }
        } catch (java.sql.SQLException starting) {
          // still starting up
        }
        Thread.sleep(200);
      }
      return RpoCrashBench.lastRecovered(rig.connect(port, RecoveryRig.TARGET));
    } finally {
      rig.asServerUser(concat(pgCtl, "-m", "immediate", "stop"));
    }
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
