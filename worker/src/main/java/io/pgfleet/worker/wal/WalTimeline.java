package io.pgfleet.worker.wal;

import java.util.ArrayList;
import java.util.List;

/**
 * One timeline's segments in an archive.
 *
 * @param missing names of the absent segments between first and last (at most 100 listed)
 * @param missingCount how many are absent
 */
public record WalTimeline(
    String timeline, String first, String last, List<String> missing, long missingCount) {
  private static final int MAX_LISTED = 100;

  /** The timeline {@code tli} whose archived segments have these numbers, ascending. */
  static WalTimeline of(String tli, List<Long> numbers) {
    List<String> missing = new ArrayList<>();
    long count = 0;
    for (int i = 1; i < numbers.size(); i++) {
      for (long n = numbers.get(i - 1) + 1; n < numbers.get(i); n++) {
        count++;
        if (missing.size() < MAX_LISTED) {
          missing.add(SegmentNumbers.name(tli, n));
        }
      }
    }
    return new WalTimeline(
        tli,
        SegmentNumbers.name(tli, numbers.get(0)),
        SegmentNumbers.name(tli, numbers.get(numbers.size() - 1)),
        missing,
        count);
  }
}
