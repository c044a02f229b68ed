package io.pgfleet.runtime.config;

/**
 * Paths as a config file's reader writes them: {@code targets.order_db.port}, {@code
 * api.tokens[0]}.
 */
public final class ConfigPath {
  private ConfigPath() {}

  /**
   * The dotted form of a JSON pointer ({@code /api/tokens/0/role} is {@code api.tokens[0].role}).
   */
  public static String of(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      String name = part.replace("~1", "/").replace("~0", "~");
      if (name.matches("\\d+")) {
        out.append('[').append(name).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(name);
      }
    }
    return out.toString();
  }
}
