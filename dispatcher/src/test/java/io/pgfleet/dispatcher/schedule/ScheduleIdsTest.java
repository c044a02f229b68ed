package io.pgfleet.dispatcher.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ScheduleIdsTest {
  private static final Schedule NIGHTLY =
      new Schedule(
          "nightly-backup",
          CronCalendar.parse("0 2 * * *", ZoneOffset.UTC),
          TargetSelector.everyTarget(),
          "backup",
          null,
          Duration.ofHours(3));
  private static final Instant AT = Instant.parse("2026-12-07T02:00:00Z");

  @Test
  void the_same_key_gives_the_same_id_and_another_key_an_unpredictable_one() {
    ScheduleIds fleet = new ScheduleIds(key(1));

    String id = fleet.commandId(NIGHTLY, "order_db", AT);

    assertThat(id).startsWith("nightly-backup:order_db:2026-12-07T02:00:00Z:").hasSize(69);
    assertThat(new ScheduleIds(key(1)).commandId(NIGHTLY, "order_db", AT)).isEqualTo(id);
    assertThat(new ScheduleIds(key(2)).commandId(NIGHTLY, "order_db", AT)).isNotEqualTo(id);
    assertThat(fleet.commandId(NIGHTLY, "order_db", AT.plusSeconds(86_400))).isNotEqualTo(id);
  }

  @Test
  void the_longest_names_still_give_a_valid_unique_id() {
    Schedule longest =
        new Schedule("s".repeat(40), NIGHTLY.calendar(), NIGHTLY.targets(), "backup", null, null);
    ScheduleIds ids = new ScheduleIds(key(1));
    String a = ids.commandId(longest, "t".repeat(62) + "a", AT);
    String b = ids.commandId(longest, "t".repeat(62) + "b", AT);

    assertThat(a)
        .hasSizeLessThanOrEqualTo(ScheduleIds.MAX_ID)
        .matches("[A-Za-z0-9][A-Za-z0-9._:-]*");
    assertThat(a).isNotEqualTo(b);
  }

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }
}
