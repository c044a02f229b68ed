package io.pgfleet.worker.wal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The moments a target can be recovered to: from the start of its oldest base backup to the newest
 * archived WAL segment reachable from there without a gap. When a segment is missing after the
 * start, the window ends before it ({@code gap} names it); recovery cannot pass it.
 *
 * @param startLsn / startTime where the oldest stored base backup starts
 * @param startSegment the segment holding {@code startLsn}
 * @param endSegment the newest segment recovery can replay, null when even the first is missing; a
 *     streamed segment in progress ({@code <segment>.partial}) right after the last complete one
 * @param endArchivedAt when the store received {@code endSegment}: the window's freshness
 * @param gap the first missing segment after the start, null when the archive is continuous
 */
public record RecoverableWindow(
    String startLsn,
    Instant startTime,
    String startSegment,
    String endSegment,
    Instant endArchivedAt,
    String gap) {

  /** Where a base backup begins, as the window needs it. */
  public record Start(String startLsn, int timeline, Instant startTime) {}

  /** The window from {@code oldest} over the archive's {@code files}. */
  public static RecoverableWindow of(Start oldest, List<WalArchive.Archived> files) {
    String startSegment = SegmentNumbers.segmentOf(oldest.timeline(), oldest.startLsn());
    long start = SegmentNumbers.number(new WalFileName(startSegment));
    List<WalArchive.Archived> segments =
        files.stream()
            .filter(f -> f.name().isSegment())
            .filter(f -> SegmentNumbers.number(f.name()) >= start)
            .toList();
    boolean startPresent = segments.stream().anyMatch(f -> f.name().value().equals(startSegment));
    if (!startPresent) {
      return new RecoverableWindow(
          oldest.startLsn(), oldest.startTime(), startSegment, null, null, startSegment);
    }
    String gap =
        WalCheck.of(segments.stream().map(WalArchive.Archived::name).toList())
            .firstGapAfter(startSegment)
            .orElse(null);
    Optional<WalArchive.Archived> end =
        segments.stream()
            .filter(f -> gap == null || f.name().value().compareTo(gap) < 0)
            .max(
                (a, b) -> {
                  int byPosition =
                      Long.compare(
                          SegmentNumbers.number(a.name()), SegmentNumbers.number(b.name()));
                  return byPosition != 0
                      ? byPosition
                      : a.name().value().compareTo(b.name().value());
                });
    if (gap == null && end.isPresent()) {
      Optional<WalArchive.Archived> partial = trailingPartial(files, end.get());
      if (partial.isPresent()) {
        end = partial;
      }
    }
    return new RecoverableWindow(
        oldest.startLsn(),
        oldest.startTime(),
        startSegment,
        end.map(e -> e.name().value()).orElse(null),
        end.map(WalArchive.Archived::archivedAt).orElse(null),
        gap);
  }

  /**
   * The {@code .partial} of the segment after {@code last}, if a streamer stored one: the window
   * then ends in it, as fresh as its last upload.
   */
  private static Optional<WalArchive.Archived> trailingPartial(
      List<WalArchive.Archived> files, WalArchive.Archived last) {
    long next = SegmentNumbers.number(last.name()) + 1;
    return files.stream()
        .filter(f -> f.name().value().endsWith(".partial"))
        .filter(f -> f.name().timeline().equals(last.name().timeline()))
        .filter(f -> SegmentNumbers.number(f.name()) == next)
        .findFirst();
  }

  /** How old the newest recoverable segment is at {@code now}; empty when there is none. */
  public Optional<Duration> age(Instant now) {
    return Optional.ofNullable(endArchivedAt).map(at -> Duration.between(at, now));
  }

  /** The window as result statistics: strings and numbers only. */
  public Map<String, Object> statistics(Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("startLsn", startLsn);
    m.put("startTime", startTime.toString());
    m.put("startSegment", startSegment);
    if (endSegment != null) {
      m.put("endSegment", endSegment);
      m.put("endArchivedAt", endArchivedAt.toString());
      m.put("ageSeconds", Math.max(0, age(now).orElseThrow().toSeconds()));
    }
    if (gap != null) {
      m.put("gap", gap);
    }
    return m;
  }
}
