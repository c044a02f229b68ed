package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.commands.RecoveryTargetAction;
import io.pgfleet.commands.RestorePitrParams;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings appended to the new data directory's postgresql.auto.conf: where WAL comes from,
 * where recovery stops, and, beside a running original, what keeps the recovered server from acting
 * as it (its own port, no archiving into the original's archive).
 */
final class RecoveryConfig {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private RecoveryConfig() {}

  static Map<String, String> settings(RestorePitrParams params, String restoreCommand) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("restore_command", restoreCommand);
    if (params.targetTime() != null) {
      s.put("recovery_target_time", TIME.format(params.targetTime()));
    } else if (params.targetLsn() != null) {
      s.put("recovery_target_lsn", params.targetLsn());
    } else if (params.targetXid() != null) {
      s.put("recovery_target_xid", params.targetXid());
    } else if (params.targetName() != null) {
      s.put("recovery_target_name", params.targetName());
    }
    s.put("recovery_target_action", params.targetAction().wireName());
    if (params.targetAction() != RecoveryTargetAction.PROMOTE) {
      // pause acts as shutdown without hot standby, and pg_ctl start -w waits for a server that
      // accepts connections: both need it on whatever the original's postgresql.conf says
      s.put("hot_standby", "on");
      // the worker reads "recovery stopping ..." in the log to tell the target from any other pause
      s.put("lc_messages", "C");
    }
    s.put("recovery_target_timeline", "latest");
    if (!params.replacesDataDirectory()) {
      s.put("port", String.valueOf(params.port()));
      // the original's archive_command would push this server's new timeline into its archive
      s.put("archive_mode", "off");
      s.put("unix_socket_directories", "");
    } // in place it is the original: its port, its sockets, and its new timeline archived
    return s;
  }

  /** {@code settings} as postgresql.conf lines, values single-quoted. */
  static String text(Map<String, String> settings) {
    StringBuilder out = new StringBuilder("\n# pgfleet restore-pitr\n");
    settings.forEach(
        (k, v) -> out.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
    return out.toString();
  }
}
