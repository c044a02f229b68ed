package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.commands.RecoveryTargetAction;
import java.nio.file.Path;
import java.util.Map;

/**
 * The statistics that say where the recovered server is after its target action and what the
 * operator does next: a promoted server is writable; a paused one is read-only until resumed; a
 * stopped one is started again with another action.
 */
final class ActionReport {
  static final String RESUME = "SELECT pg_wal_replay_resume()";

  private ActionReport() {}

  static void put(
      Map<String, Object> stats,
      RecoveryTargetAction action,
      RecoveredServer server,
      RecoveryReached reached,
      Path dir,
      int port) {
    stats.put("targetAction", action.wireName());
    stats.put("started", true);
    stats.put("running", action != RecoveryTargetAction.SHUTDOWN);
    // results hold no nulls: what is not known is left out
    if (reached.lsn() != null) {
      stats.put("reachedLsn", reached.lsn());
    }
    if (reached.time() != null) {
      stats.put("reachedTime", reached.time().toString());
    }
    stats.put("timeline", reached.timeline());
    if (action != RecoveryTargetAction.PROMOTE) {
      server.recoveryStop().ifPresent(line -> stats.put("recoveryStop", line));
    }
    String stop = ServerCommand.shell(server.stopCommand());
    switch (action) {
      case PROMOTE -> {
        stats.put("serverState", "promoted");
        stats.put("stopCommand", stop);
      }
      case PAUSE -> {
        String promote = ServerCommand.shell(server.promoteCommand());
        stats.put("serverState", "paused");
        stats.put("stopCommand", stop);
        stats.put("resumeSql", RESUME);
        stats.put("promoteCommand", promote);
        stats.put(
            "nextSteps",
            "the server on port "
                + port
                + " is in recovery, paused at the target and read-only: inspect it, then make it"
                + " writable with "
                + RESUME
                + " (or "
                + promote
                + "), or discard it: "
                + stop
                + ", then remove "
                + dir);
      }
      case SHUTDOWN -> {
        String start = ServerCommand.shell(server.startCommand());
        stats.put("serverState", "stopped");
        stats.put("startCommand", start);
        stats.put(
            "nextSteps",
            "the server stopped at the target, still in recovery (recovery.signal kept): to open"
                + " it, add recovery_target_action = 'promote' (or 'pause' to inspect it first) at"
                + " the end of "
                + dir.resolve("postgresql.auto.conf")
                + " and run "
                + start
                + "; it replays to the same target again. Started unchanged it stops there again."
                + " To discard it, remove "
                + dir);
      }
    }
  }
}
