package io.pgfleet.worker.wal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimelineHistoryTest {
  private static final long SEGMENT = 16L * 1024 * 1024;

  // timeline 1 ended inside segment 3, timeline 2 inside segment 0x105 (log 1, segment 5)
  private static final TimelineHistory HISTORY =
      TimelineHistory.parse(
          3,
          "1\t0/30000A0\tno recovery target specified\n"
              + "\n"
              + "2\t1/50000D8\tbefore 2026-12-06 04:00:00+00\n");

  @Test
  void segments_before_the_first_switch_come_from_timeline_1() {
    assertThat(HISTORY.timelineOf(2 * SEGMENT, SEGMENT)).isEqualTo(1);
  }

  @Test
  void the_segment_holding_a_switch_is_taken_from_the_new_timeline() {
    assertThat(HISTORY.timelineOf(3 * SEGMENT, SEGMENT)).isEqualTo(2);
    assertThat(HISTORY.timelineOf(0x104 * SEGMENT, SEGMENT)).isEqualTo(2);
    assertThat(HISTORY.timelineOf(0x105 * SEGMENT, SEGMENT)).isEqualTo(3);
    assertThat(HISTORY.timelineOf(0x300 * SEGMENT, SEGMENT)).isEqualTo(3);
  }

  @Test
  void a_server_on_timeline_1_streams_everything_from_timeline_1() {
    assertThat(TimelineHistory.first().timelineOf(7 * SEGMENT, SEGMENT)).isEqualTo(1);
  }

  @Test
  void history_file_names_are_eight_hex_digits() {
    assertThat(ServerTimelines.historyFile(10).value()).isEqualTo("0000000A.history");
  }
}
