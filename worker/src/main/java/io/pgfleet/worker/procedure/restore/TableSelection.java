package io.pgfleet.worker.procedure.restore;

import io.pgfleet.worker.sql.TableRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of an archive's table of contents ({@code pg_restore --list}) that restores some tables:
 * their data, and with their definitions also their defaults, constraints, triggers, indexes and
 * owned sequences. Indexes and sequences name no table in the list, so the archive's DDL ({@code
 * pg_restore --schema-only}) tells which table each belongs to. A pure function.
 */
final class TableSelection {
  private static final List<String> TYPES =
      List.of(
          "SEQUENCE OWNED BY",
          "FK CONSTRAINT",
          "SEQUENCE SET",
          "TABLE DATA",
          "CONSTRAINT",
          "SEQUENCE",
          "DEFAULT",
          "TRIGGER",
          "INDEX",
          "TABLE");
  private static final Set<String> BY_TABLE_TAG =
      Set.of("DEFAULT", "CONSTRAINT", "FK CONSTRAINT", "TRIGGER");
  private static final Pattern ENTRY = Pattern.compile("^\\d+; \\d+ \\d+ (.*)$");
  private static final String NAME = "(\"(?:[^\"]|\"\")+\"|[^\\s.\"(]+)";
  private static final Pattern OWNED_BY =
      Pattern.compile(
          "ALTER SEQUENCE " + NAME + "\\." + NAME + " OWNED BY " + NAME + "\\." + NAME + "\\.");
  private static final Pattern INDEX_ON =
      Pattern.compile("CREATE (?:UNIQUE )?INDEX " + NAME + " ON (?:ONLY )?" + NAME + "\\." + NAME);

  private TableSelection() {}

  /** One list entry we understand: its type, schema and tag. */
  record Entry(String line, String type, String schema, String tag) {}

  /** The use-list ({@code pg_restore -L}) for the tables, in the archive's own order. */
  static List<String> useList(String toc, String ddl, List<TableRef> tables, boolean dataOnly) {
    Set<String> wanted = new HashSet<>();
    tables.forEach(t -> wanted.add(t.toString()));
    Map<String, String> sequenceOwner = owners(OWNED_BY.matcher(ddl), 1, 2, 3, 4);
    Map<String, String> indexTable = indexes(ddl);
    List<String> out = new ArrayList<>();
    for (String line : toc.split("\n")) {
      Entry e = parse(line.strip());
      if (e == null) {
        continue;
      }
      String key = e.schema() + "." + e.tag();
      boolean keep =
          switch (e.type()) {
            case "TABLE DATA" -> wanted.contains(key);
            case "SEQUENCE SET" -> wanted.contains(sequenceOwner.get(key));
            case "TABLE" -> !dataOnly && wanted.contains(key);
            case "SEQUENCE", "SEQUENCE OWNED BY" ->
                !dataOnly && wanted.contains(sequenceOwner.get(key));
            case "INDEX" -> !dataOnly && wanted.contains(indexTable.get(key));
            default ->
                !dataOnly
                    && BY_TABLE_TAG.contains(e.type())
                    && wanted.contains(e.schema() + "." + e.tag().split(" ")[0]);
          };
      if (keep) {
        out.add(e.line());
      }
    }
    return out;
  }

  static Entry parse(String line) {
    Matcher m = ENTRY.matcher(line);
    if (!m.matches()) {
      return null;
    }
    String rest = m.group(1);
    for (String type : TYPES) {
      if (rest.startsWith(type + " ")) {
        String[] words = rest.substring(type.length() + 1).split(" ");
        if (words.length < 3) {
          return null;
        }
        String tag = String.join(" ", List.of(words).subList(1, words.length - 1));
        return new Entry(line, type, words[0], tag);
      }
    }
    return null;
  }

  private static Map<String, String> owners(Matcher m, int s, int n, int ts, int tn) {
    Map<String, String> map = new HashMap<>();
    while (m.find()) {
      map.put(
          unquote(m.group(s)) + "." + unquote(m.group(n)),
          unquote(m.group(ts)) + "." + unquote(m.group(tn)));
    }
    return map;
  }

  private static Map<String, String> indexes(String ddl) {
    Map<String, String> map = new HashMap<>();
    Matcher m = INDEX_ON.matcher(ddl);
    while (m.find()) {
      String schema = unquote(m.group(2));
      map.put(schema + "." + unquote(m.group(1)), schema + "." + unquote(m.group(3)));
    }
    return map;
  }

  private static String unquote(String name) {
    return name.startsWith("\"")
        ? name.substring(1, name.length() - 1).replace("\"\"", "\"")
        : name;
  }
}
