package io.pgfleet.worker.wal.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * A server's timeline history: the timeline it writes now and where each of its ancestors ended
 * (the content of {@code NNNNNNNN.history}, one {@code tli<TAB>switchpoint<TAB>reason} line per
 * ancestor). Tells which timeline a segment is to be streamed from.
 */
record TimelineHistory(int current, List<Switch> switches) {
  /** Timeline {@code timeline} ended at {@code lsn}; its successor starts there. */
  record Switch(int timeline, long lsn) {}

  TimelineHistory {
    switches = List.copyOf(switches);
  }

  /** The history of a server on timeline 1, which has none. */
  static TimelineHistory first() {
    return new TimelineHistory(1, List.of());
  }

  /** Parses the content of {@code <current>.history}; comment and blank lines are skipped. */
  static TimelineHistory parse(int current, String content) {
    List<Switch> switches = new ArrayList<>();
    for (String line : content.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] fields = trimmed.split("\\s+");
      if (fields.length < 2) {
        throw new IllegalArgumentException("not a timeline history line: " + trimmed);
      }
      switches.add(new Switch(Integer.parseInt(fields[0]), lsn(fields[1])));
    }
    return new TimelineHistory(current, switches);
  }

  /**
   * The timeline to stream the segment starting at {@code segmentStart} from: the newest one that
   * began in or before that segment. A segment in which the timeline switched is thus taken whole
   * from the new timeline (which holds the old one's WAL up to the switch), as recovery reads it.
   */
  int timelineOf(long segmentStart, long segmentSize) {
    long segment = segmentStart / segmentSize;
    for (int i = switches.size() - 1; i >= 0; i--) {
      int successor = i + 1 < switches.size() ? switches.get(i + 1).timeline() : current;
      if (switches.get(i).lsn() / segmentSize <= segment) {
        return successor;
      }
    }
    return switches.isEmpty() ? current : switches.get(0).timeline();
  }

  /** Parses {@code 1A/2B000028}. */
  static long lsn(String text) {
    String[] parts = text.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("not an LSN: " + text);
    }
    return (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
  }
}
