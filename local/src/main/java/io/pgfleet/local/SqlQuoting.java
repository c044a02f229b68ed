package io.pgfleet.local;

/** Quoting names and strings into PostgreSQL statements that take no bind parameters (DDL). */
final class SqlQuoting {

  private SqlQuoting() {}

  /** {@code name} as a quoted identifier: {@code my"db} becomes {@code "my""db"}. */
  static String identifier(String name) {
    requireText(name, "identifier");
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * {@code text} as a string literal. Doubling quotes is enough because the server runs with
   * standard_conforming_strings on (the default), where backslashes are ordinary characters.
   */
  static String literal(String text) {
    requireText(text, "literal");
    return "'" + text.replace("'", "''") + "'";
  }

  private static void requireText(String text, String what) {
    if (text == null || text.isEmpty() || text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("not a valid SQL " + what + ": " + text);
    }
  }
}
