package io.pgfleet.worker.procedure.restore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entries of an archive's table of contents as {@code pg_restore --list} prints them ({@code
 * 3390; 0 16390 TABLE DATA public orders postgres}: dump id; catalog ids; kind; schema, name and
 * owner), for the kinds asked for. Schema, name and owner are printed unquoted, separated by
 * spaces, so they are kept as one string ({@link Entry#names}) for the caller to match against
 * names it knows.
 */
final class TocListing {
  private static final Pattern ENTRY = Pattern.compile("^(\\d+); \\d+ \\d+ (.*)$");

  /**
   * One entry: its kind ({@code TABLE DATA}, {@code CONSTRAINT}...) and {@code schema name owner}.
   */
  record Entry(int dumpId, String kind, String names) {
    /** Whether this entry is {@code schema}'s object printed with exactly {@code tag}. */
    boolean is(String schema, String tag) {
      return names.startsWith(schema + " " + tag + " ") || names.equals(schema + " " + tag);
    }
  }

  private TocListing() {}

  /** The entries of the given kinds, by dump id; comment lines and other kinds are left out. */
  static Map<Integer, Entry> parse(String listing, List<String> kinds) {
    Map<Integer, Entry> entries = new LinkedHashMap<>();
    for (String line : listing.split("\n")) {
      Matcher m = ENTRY.matcher(line.strip());
      if (!m.matches()) {
        continue;
      }
      String rest = m.group(2);
      for (String kind : kinds) {
        if (rest.startsWith(kind + " ")) {
          int id = Integer.parseInt(m.group(1));
          entries.put(id, new Entry(id, kind, rest.substring(kind.length() + 1)));
          break;
        }
      }
    }
    return entries;
  }
}
