package io.pgfleet.worker.target;

import java.util.regex.Pattern;

/** Removes credentials from text before it reaches a result event, a log line or an error. */
public final class Redaction {
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)(password|passwd|pwd|secret|token)(\\s*[=:]\\s*)('[^']*'|\"[^\"]*\"|\\S+)");
  private static final Pattern URL_CREDENTIALS = Pattern.compile("(://[^/:@\\s]+):[^@/\\s]+@");

  private Redaction() {}

  public static String redact(String text, String... secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        out = out.replace(secret, "******");
      }
    }
    out = KEY_VALUE.matcher(out).replaceAll("$1$2******");
    return URL_CREDENTIALS.matcher(out).replaceAll("$1:******@");
  }
}
