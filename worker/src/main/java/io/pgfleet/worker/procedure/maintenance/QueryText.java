package io.pgfleet.worker.procedure.maintenance;

import io.pgfleet.worker.target.Redaction;
import java.util.regex.Pattern;

/**
 * Query text fit for a result event: string literals masked (they hold data, and sometimes a
 * password in {@code ALTER ROLE ... PASSWORD '...'}), whitespace collapsed, at most 200 characters.
 */
public final class QueryText {
  private static final int MAX = 200;
  private static final Pattern STRING = Pattern.compile("(?s)'(?:[^']|'')*'?");
  private static final Pattern DOLLAR =
      Pattern.compile("(?s)\\$([A-Za-z_][A-Za-z0-9_]*)?\\$.*?(\\$\\1\\$|$)");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private QueryText() {}

  public static String preview(String sql) {
    if (sql == null) {
      return null;
    }
    String text = DOLLAR.matcher(sql).replaceAll("'?'");
    text = STRING.matcher(text).replaceAll("'?'");
    text = SPACE.matcher(text).replaceAll(" ").trim();
    if (text.length() > MAX) {
      text = text.substring(0, MAX) + "...";
    }
    return Redaction.redact(text);
  }
}
