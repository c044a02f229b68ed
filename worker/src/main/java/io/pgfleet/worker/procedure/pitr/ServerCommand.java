package io.pgfleet.worker.procedure.pitr;

import java.util.ArrayList;
import java.util.List;

/** pg_ctl command lines, run as the server's OS user when the worker runs as root. */
final class ServerCommand {
  private ServerCommand() {}

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static List<String> asServerUser(String user, List<String> command) {
    if (!runningAsRoot()) {
      return command;
    }
    List<String> wrapped =
        new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** The command as an operator would type it, for reports. */
  static String shell(List<String> command) {
    return String.join(
        " ",
        command.stream()
            .map(a -> a.matches("[A-Za-z0-9_./=:-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
            .toList());
  }
}
