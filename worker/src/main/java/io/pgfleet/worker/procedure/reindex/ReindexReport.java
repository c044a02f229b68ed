package io.pgfleet.worker.procedure.reindex;

import io.pgfleet.worker.procedure.maintenance.ServerMessages.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The statistics of a reindex run, gathered as it goes. */
final class ReindexReport {
  private static final int MAX_NAMES = 50;
  private static final Pattern REINDEXED = Pattern.compile("^index \"([^\"]+)\" was reindexed");

  private final String scope;
  private final boolean concurrently;
  private final List<String> invalidBefore = new ArrayList<>();
  private final List<String> invalidAfter = new ArrayList<>();
  private final List<String> dropped = new ArrayList<>();
  private final List<String> rebuilt = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();
  private final List<String> notDropped = new ArrayList<>();
  private List<ScopedIndex> indexesAfter = List.of();
  private long bytesBefore;
  private long bytesAfter;
  private int attempts;

  ReindexReport(String scope, boolean concurrently) {
    this.scope = scope;
    this.concurrently = concurrently;
  }

  void before(List<ScopedIndex> indexes) {
    bytesBefore = bytes(indexes);
    invalidBefore.addAll(invalid(indexes));
  }

  void after(List<ScopedIndex> indexes) {
    indexesAfter = List.copyOf(indexes);
    bytesAfter = bytes(indexes);
    invalidAfter.addAll(invalid(indexes));
  }

  void dropped(List<String> names) {
    dropped.addAll(names);
  }

  void notDropped(String why) {
    notDropped.add(why);
  }

  void attempts(int n) {
    attempts = n;
  }

  void rebuilt(List<Message> messages) {
    for (Message m : messages) {
      Matcher matcher = REINDEXED.matcher(m.text());
      if (matcher.find()) {
        rebuilt.add(matcher.group(1));
      } else if (m.isWarning()) {
        skipped.add(m.text());
      }
    }
  }

  /** The size of a valid index of this name after the rebuild, -1 if there is none. */
  long bytesAfter(String index) {
    return indexesAfter.stream()
        .filter(i -> i.valid() && i.name().equals(index))
        .mapToLong(ScopedIndex::bytes)
        .findFirst()
        .orElse(-1);
  }

  int attempts() {
    return attempts;
  }

  List<String> droppedLeftovers() {
    return List.copyOf(dropped);
  }

  /** What a run would rebuild (the valid indexes in scope) and drop: a dry run's statistics. */
  Map<String, Object> dryRun(List<ScopedIndex> indexes, boolean dropInvalid) {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("scope", scope);
    stats.put("concurrently", concurrently);
    stats.put("dryRun", true);
    List<String> valid = indexes.stream().filter(ScopedIndex::valid).map(Object::toString).toList();
    stats.put("wouldRebuild", capped(valid));
    stats.put("bytesBefore", bytes(indexes));
    stats.put("invalidBefore", capped(invalid(indexes)));
    if (dropInvalid) {
      List<String> leftovers =
          indexes.stream().filter(ScopedIndex::leftover).map(Object::toString).toList();
      stats.put("wouldDropLeftovers", capped(leftovers));
    }
    return stats;
  }

  Map<String, Object> statistics() {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("scope", scope);
    stats.put("concurrently", concurrently);
    stats.put("attempts", attempts);
    stats.put("indexesRebuilt", rebuilt.size());
    stats.put("rebuilt", capped(rebuilt));
    stats.put("bytesBefore", bytesBefore);
    stats.put("bytesAfter", bytesAfter);
    stats.put("invalidBefore", capped(invalidBefore));
    stats.put("droppedLeftovers", capped(dropped));
    if (!notDropped.isEmpty()) {
      stats.put("leftoversNotDropped", capped(notDropped));
    }
    stats.put("invalidAfter", capped(invalidAfter));
    if (!skipped.isEmpty()) {
      stats.put("skipped", capped(skipped));
    }
    return stats;
  }

  private static List<String> invalid(List<ScopedIndex> indexes) {
    return indexes.stream().filter(i -> !i.valid()).map(Object::toString).toList();
  }

  private static long bytes(List<ScopedIndex> indexes) {
    return indexes.stream().mapToLong(ScopedIndex::bytes).sum();
  }

  private static List<String> capped(List<String> names) {
    return List.copyOf(names.subList(0, Math.min(MAX_NAMES, names.size())));
  }
}
