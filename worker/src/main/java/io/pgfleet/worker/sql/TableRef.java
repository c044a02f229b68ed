package io.pgfleet.worker.sql;

import java.util.regex.Pattern;

/**
 * A table named in a command or a policy: {@code table} or {@code schema.table}. Names are checked
 * against a strict pattern before they come anywhere near SQL, then resolved against the catalog
 * ({@code Catalog}) and always quoted.
 */
public record TableRef(String schema, String table) {
  /** Unquoted PostgreSQL identifiers as people write them: no quotes, spaces or semicolons. */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

  public TableRef {
    requireIdentifier(schema, "schema");
    requireIdentifier(table, "table");
  }

  /** Parses {@code table} (schema public) or {@code schema.table}. */
  public static TableRef parse(String name) {
    if (name == null) {
      throw new IllegalArgumentException("a table name is required");
    }
    int dot = name.indexOf('.');
    return dot < 0
        ? new TableRef("public", name)
        : new TableRef(name.substring(0, dot), name.substring(dot + 1));
  }

  public static void requireIdentifier(String name, String what) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid "
              + what
              + " name "
              + io.pgfleet.commands.Printable.quote(name)
              + ": use letters, digits, '_' or '$', starting with a letter or '_', at most 63");
    }
  }

  /** The name as SQL, each part double-quoted. */
  public String sql() {
    return quote(schema) + "." + quote(table);
  }

  public static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  @Override
  public String toString() {
    return schema + "." + table;
  }
}
