package io.pgfleet.worker.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Include and exclude globs of database names: {@code *} is any run of characters, {@code ?} one
 * character, everything else itself (a database name may hold any character, so no other syntax).
 */
public final class DatabaseGlobs {
  private final List<Pattern> include;
  private final List<Pattern> exclude;

  public DatabaseGlobs(List<String> include, List<String> exclude) {
    this.include = include.stream().map(DatabaseGlobs::compile).toList();
    this.exclude = exclude.stream().map(DatabaseGlobs::compile).toList();
  }

  /** Whether {@code database} matches one include glob and no exclude glob. */
  public boolean selects(String database) {
    return matchesAny(include, database) && !matchesAny(exclude, database);
  }

  private static boolean matchesAny(List<Pattern> globs, String name) {
    return globs.stream().anyMatch(g -> g.matcher(name).matches());
  }

  static Pattern compile(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); ) {
      int c = glob.codePointAt(i);
      i += Character.charCount(c);
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(new String(Character.toChars(c))));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
