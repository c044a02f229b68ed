package io.pgfleet.dispatcher.schedule;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Collection;
import java.util.List;

/**
 * Which targets a schedule covers: {@code all}, or a list of names and globs ({@code order_db},
 * {@code *_db}, {@code pay*}).
 */
public record TargetSelector(boolean all, List<String> patterns) {
  public TargetSelector {
    patterns = List.copyOf(patterns);
    if (!all && patterns.isEmpty()) {
      throw new IllegalArgumentException("select 'all' targets or list at least one");
    }
    for (String p : patterns) {
      if (!p.matches("[A-Za-z0-9_*?\\[\\]{},-]+")) {
        throw new IllegalArgumentException(
            "invalid target pattern '" + p + "': a target name or a glob such as *_db");
      }
    }
  }

  public static TargetSelector everyTarget() {
    return new TargetSelector(true, List.of());
  }

  public static TargetSelector of(List<String> patterns) {
    return new TargetSelector(false, patterns);
  }

  /** The known targets selected, in the order given. */
  public List<String> select(Collection<String> known) {
    if (all) {
      return known.stream().sorted().toList();
    }
    List<PathMatcher> matchers = patterns.stream().map(TargetSelector::matcher).toList();
    return known.stream()
        .sorted()
        .filter(t -> matchers.stream().anyMatch(m -> m.matches(Path.of(t))))
        .toList();
  }

  /** Names listed literally (not globs) that are not known targets: worth a warning. */
  public List<String> unknown(Collection<String> known) {
    return patterns.stream()
        .filter(p -> !p.matches(".*[*?\\[{].*"))
        .filter(p -> !known.contains(p))
        .toList();
  }

  private static PathMatcher matcher(String glob) {
    return FileSystems.getDefault().getPathMatcher("glob:" + glob);
  }

  @Override
  public String toString() {
    return all ? "all" : String.join(", ", patterns);
  }
}
