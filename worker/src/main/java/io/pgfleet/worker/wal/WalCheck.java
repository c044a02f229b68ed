package io.pgfleet.worker.wal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an archive holds per timeline: its first and last segment and every segment missing in
 * between. Assumes the default 16 MiB WAL segments (256 per log id).
 */
public record WalCheck(List<Timeline> timelines) {
  private static final long SEGMENTS_PER_LOG = 0x100;
  private static final int MAX_LISTED = 100;

  /**
   * One timeline's segments.
   *
   * @param missing names of the absent segments between first and last (at most 100 listed)
   * @param missingCount how many are absent
   */
  public record Timeline(
      String timeline, String first, String last, List<String> missing, long missingCount) {}

  public static WalCheck of(List<WalFileName> files) {
    Map<String, List<Long>> byTimeline = new LinkedHashMap<>();
    files.stream()
        .filter(WalFileName::isSegment)
        .sorted((a, b) -> a.value().compareTo(b.value()))
        .forEach(
            f -> byTimeline.computeIfAbsent(f.timeline(), t -> new ArrayList<>()).add(number(f)));
    List<Timeline> timelines = new ArrayList<>();
    byTimeline.forEach((tli, numbers) -> timelines.add(timeline(tli, numbers)));
    return new WalCheck(List.copyOf(timelines));
  }

  public boolean hasGaps() {
    return timelines.stream().anyMatch(t -> t.missingCount() > 0);
  }

  /** The first missing segment at or after {@code from} on the timeline, if any. */
  public java.util.Optional<String> firstGapAfter(String fromSegment) {
    return timelines.stream()
        .flatMap(t -> t.missing().stream())
        .filter(m -> m.substring(0, 8).equals(fromSegment.substring(0, 8)))
        .filter(m -> m.compareTo(fromSegment) >= 0)
        .findFirst();
  }

  private static Timeline timeline(String tli, List<Long> numbers) {
    List<String> missing = new ArrayList<>();
    long count = 0;
    for (int i = 1; i < numbers.size(); i++) {
      for (long n = numbers.get(i - 1) + 1; n < numbers.get(i); n++) {
        count++;
        if (missing.size() < MAX_LISTED) {
          missing.add(name(tli, n));
        }
      }
    }
    return new Timeline(
        tli, name(tli, numbers.get(0)), name(tli, numbers.get(numbers.size() - 1)), missing, count);
  }

  /** The segment holding {@code lsn} ({@code 0/3000060}) on timeline {@code tli}. */
  public static String segmentOf(int tli, String lsn) {
    String[] parts = lsn.split("/");
    long position = (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
    return name(String.format("%08X", tli), position / (16L * 1024 * 1024));
  }

  static long number(WalFileName f) {
    String v = f.value();
    return Long.parseLong(v.substring(8, 16), 16) * SEGMENTS_PER_LOG
        + Long.parseLong(v.substring(16, 24), 16);
  }

  static String name(String tli, long number) {
    return String.format("%s%08X%08X", tli, number / SEGMENTS_PER_LOG, number % SEGMENTS_PER_LOG);
  }
}
