package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.worker.tool.ToolCall;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code pg_controldata} says about a stopped data directory, read untranslated (LC_ALL=C):
 * its state and the timeline of its latest checkpoint or restartpoint.
 */
record ControlData(String state, int timeline) {
  /** A server that stopped cleanly while still in recovery: at its target with shutdown. */
  static final String SHUT_DOWN_IN_RECOVERY = "shut down in recovery";

  static ControlData read(Path serverBinDir, String user, Path dir)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(serverBinDir.resolve("pg_controldata").toString(), dir.toString());
    String out =
        ToolCall.of(ServerCommand.asServerUser(user, command))
            .named("pg_controldata")
            .env(Map.of("LC_ALL", "C"))
            .within(Duration.ofMinutes(1))
            .run()
            .requireSuccess()
            .stdout();
    return parse(out);
  }

  static ControlData parse(String out) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    out.lines()
        .filter(l -> l.indexOf(':') > 0)
        .forEach(
            l ->
                fields.putIfAbsent(
                    l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).trim()));
    String state = fields.get("Database cluster state");
    String timeline = fields.get("Latest checkpoint's TimeLineID");
    if (state == null || timeline == null || !timeline.matches("[0-9]+")) {
      throw new IOException("pg_controldata printed no cluster state and timeline: " + out.trim());
    }
    return new ControlData(state, Integer.parseInt(timeline));
  }

  boolean shutDownInRecovery() {
    return SHUT_DOWN_IN_RECOVERY.equals(state);
  }
}
