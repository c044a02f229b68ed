package io.pgfleet.worker.wal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an archive holds per timeline: its first and last segment and every segment missing in
 * between.
 */
public record WalCheck(List<WalTimeline> timelines) {

  public static WalCheck of(List<WalFileName> files) {
    Map<String, List<Long>> byTimeline = new LinkedHashMap<>();
    files.stream()
        .filter(WalFileName::isSegment)
        .sorted((a, b) -> a.value().compareTo(b.value()))
        .forEach(
            f ->
                byTimeline
                    .computeIfAbsent(f.timeline(), t -> new ArrayList<>())
                    .add(SegmentNumbers.number(f)));
    List<WalTimeline> timelines = new ArrayList<>();
    byTimeline.forEach((tli, numbers) -> timelines.add(WalTimeline.of(tli, numbers)));
    return new WalCheck(List.copyOf(timelines));
  }

  public boolean hasGaps() {
    return timelines.stream().anyMatch(t -> t.missingCount() > 0);
  }

  /** The first missing segment at or after {@code from} on the timeline, if any. */
  public Optional<String> firstGapAfter(String fromSegment) {
    return timelines.stream()
        .flatMap(t -> t.missing().stream())
        .filter(m -> m.substring(0, 8).equals(fromSegment.substring(0, 8)))
        .filter(m -> m.compareTo(fromSegment) >= 0)
        .findFirst();
  }
}
