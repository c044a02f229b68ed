package io.pgfleet.worker.procedure.maintenance;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.util.PSQLWarning;
import org.postgresql.util.ServerErrorMessage;

/** The messages (INFO, NOTICE, WARNING) the server sent while a statement ran. */
public final class ServerMessages {
  private ServerMessages() {}

  /** One message: its severity (INFO, WARNING, ...) and its text, lines included. */
  public record Message(String severity, String text) {
    public boolean isWarning() {
      return "WARNING".equals(severity);
    }
  }

  static List<Message> of(Statement statement) throws SQLException {
    List<Message> out = new ArrayList<>();
    for (SQLWarning w = statement.getWarnings(); w != null; w = w.getNextWarning()) {
      ServerErrorMessage m = w instanceof PSQLWarning p ? p.getServerErrorMessage() : null;
      if (m != null) {
        out.add(new Message(m.getSeverity(), m.getMessage()));
      } else {
        out.add(new Message("WARNING", w.getMessage()));
      }
    }
    return out;
  }
}
