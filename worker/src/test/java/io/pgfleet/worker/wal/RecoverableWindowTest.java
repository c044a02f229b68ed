package io.pgfleet.worker.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecoverableWindowTest {
  private static final RecoverableWindow.Start START =
      new RecoverableWindow.Start("0/2000028", 1, Instant.parse("2026-12-01T00:00:00Z"));

  @Test
  void a_streamed_partial_after_the_last_complete_segment_ends_the_window_as_fresh_as_it() {
    RecoverableWindow w =
        RecoverableWindow.of(
            START,
            List.of(
                file("000000010000000000000002", 10),
                file("000000010000000000000003", 20),
                file("000000010000000000000004.partial", 95)));

    assertThat(w.endSegment()).isEqualTo("000000010000000000000004.partial");
    assertThat(w.endArchivedAt()).isEqualTo(at(95));
    assertThat(w.gap()).isNull();
  }

  @Test
  void a_partial_beyond_a_missing_segment_does_not_extend_the_window() {
    RecoverableWindow w =
        RecoverableWindow.of(
            START,
            List.of(
                file("000000010000000000000002", 10),
                file("000000010000000000000004", 20),
                file("000000010000000000000005.partial", 95)));

    assertThat(w.endSegment()).isEqualTo("000000010000000000000002");
    assertThat(w.gap()).isEqualTo("000000010000000000000003");
  }

  private static WalArchive.Archived file(String name, int second) {
    return new WalArchive.Archived(new WalFileName(name), at(second));
  }

  private static Instant at(int second) {
    return Instant.parse("2026-12-01T00:00:00Z").plusSeconds(second);
  }
}
