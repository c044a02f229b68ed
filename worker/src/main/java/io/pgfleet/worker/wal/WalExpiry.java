package io.pgfleet.worker.wal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which archived WAL files no kept base backup needs: every segment, partial segment and backup
 * label before {@code keepFrom}, the segment holding the start LSN of the oldest kept base backup,
 * whatever their timeline (a position before the oldest start is replayed by no recovery that
 * starts from a kept backup). Timeline history files are always kept: they are tiny and recovery
 * follows them to find later timelines. A pure function.
 *
 * @param expired the files to delete, in name order
 * @param ranges per timeline, the first and last expired file and how many
 */
public record WalExpiry(String keepFrom, List<WalFileName> expired, List<Range> ranges) {

  /** The expired files of one timeline. */
  public record Range(String timeline, String first, String last, long files) {}

  /** Plans the expiry of {@code files} keeping everything from segment {@code keepFrom} on. */
  public static WalExpiry plan(List<WalFileName> files, String keepFrom) {
    long cutoff = SegmentNumbers.number(new WalFileName(keepFrom));
    List<WalFileName> expired =
        files.stream()
            .filter(f -> !f.value().endsWith(".history"))
            .filter(f -> position(f) < cutoff)
            .sorted((a, b) -> a.value().compareTo(b.value()))
            .toList();
    Map<String, List<WalFileName>> byTimeline = new LinkedHashMap<>();
    expired.forEach(f -> byTimeline.computeIfAbsent(f.timeline(), t -> new ArrayList<>()).add(f));
    List<Range> ranges = new ArrayList<>();
    byTimeline.forEach(
        (tli, list) ->
            ranges.add(
                new Range(
                    tli, list.get(0).value(), list.get(list.size() - 1).value(), list.size())));
    return new WalExpiry(keepFrom, expired, List.copyOf(ranges));
  }

  /** The segment position of a segment, partial segment or backup label. */
  private static long position(WalFileName f) {
    return SegmentNumbers.number(new WalFileName(f.value().substring(0, 24)));
  }
}
