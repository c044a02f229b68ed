package io.pgfleet.dispatcher.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.dispatcher.DispatcherConfigFile;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CronCalendarTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void the_runbook_calendar_fires_at_the_right_instants_across_a_month_boundary() throws Exception {
    Map<String, List<String>> fired =
        fire(runbookSchedules(), "2026-10-24T00:00:00Z", "2026-11-09T00:00:00Z");

    List<String> nightly = new ArrayList<>();
    for (int day = 24; day <= 31; day++) {
      nightly.add("2026-10-" + day + "T02:00:00Z");
    }
    for (int day = 1; day <= 8; day++) {
      nightly.add("2026-11-0" + day + "T02:00:00Z");
    }
    assertThat(fired.get("nightly-backup")).containsExactlyElementsOf(nightly);
    assertThat(fired.get("weekly-vacuum"))
        .containsExactly("2026-10-25T03:00:00Z", "2026-11-01T03:00:00Z", "2026-11-08T03:00:00Z");
    assertThat(fired.get("weekly-statistics"))
        .containsExactly("2026-10-25T03:30:00Z", "2026-11-01T03:30:00Z", "2026-11-08T03:30:00Z");
    // 25 October is the last Sunday of October; 1 November is the first Sunday of November.
    assertThat(fired.get("monthly-reindex")).containsExactly("2026-11-01T04:00:00Z");
    assertThat(fired.get("monthly-cleanup")).containsExactly("2026-11-01T05:00:00Z");
    assertThat(fired.get("quarterly-statistics")).isEmpty();
  }

  @Test
  void first_sunday_of_the_month_and_quarterly_over_a_year() throws Exception {
    Map<String, List<String>> fired =
        fire(runbookSchedules(), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");

    assertThat(fired.get("monthly-reindex"))
        .hasSize(12)
        .allSatisfy(
            at -> {
              var day = Instant.parse(at).atZone(ZoneOffset.UTC);
              assertThat(day.getDayOfWeek()).hasToString("SUNDAY");
              assertThat(day.getDayOfMonth()).isLessThanOrEqualTo(7);
              assertThat(day.getHour()).isEqualTo(4);
            })
        .contains("2026-03-01T04:00:00Z", "2026-11-01T04:00:00Z", "2026-12-06T04:00:00Z");
    assertThat(fired.get("quarterly-statistics"))
        .containsExactly(
            "2026-01-04T06:00:00Z",
            "2026-04-05T06:00:00Z",
            "2026-07-05T06:00:00Z",
            "2026-10-04T06:00:00Z");
    assertThat(fired.get("nightly-backup")).hasSize(365);
  }

  @Test
  void a_wall_time_skipped_by_dst_fires_shifted_by_the_gap_and_a_repeated_one_fires_once() {
    CronCalendar daily = CronCalendar.parse("30 2 * * *", BERLIN);

    // 29 March 2026: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that day.
    assertThat(daily.between(at("2026-03-27T12:00:00Z"), at("2026-03-31T12:00:00Z"), 10))
        .containsExactly(
            at("2026-03-28T01:30:00Z"), // 02:30 CET
            at("2026-03-29T01:30:00Z"), // 03:30 CEST: the missing 02:30 shifted by the gap
            at("2026-03-30T00:30:00Z"), // 02:30 CEST
            at("2026-03-31T00:30:00Z"));
    // 25 October 2026: 03:00 CEST goes back to 02:00 CET, so 02:30 happens twice: fire once.
    assertThat(daily.between(at("2026-10-23T12:00:00Z"), at("2026-10-27T12:00:00Z"), 10))
        .containsExactly(
            at("2026-10-24T00:30:00Z"), // 02:30 CEST
            at("2026-10-25T00:30:00Z"), // the first 02:30 (CEST); not again at 01:30Z (CET)
            at("2026-10-26T01:30:00Z"), // 02:30 CET
            at("2026-10-27T01:30:00Z"));
  }

  @Test
  void every_half_hour_in_a_dst_gap_fires_once_per_real_slot() {
    CronCalendar halfHourly = CronCalendar.parse("*/30 1-3 * * *", BERLIN);

    assertThat(halfHourly.between(at("2026-03-28T23:00:00Z"), at("2026-03-29T03:00:00Z"), 20))
        .containsExactly(
            at("2026-03-29T00:00:00Z"), // 01:00 CET
            at("2026-03-29T00:30:00Z"), // 01:30 CET
            at("2026-03-29T01:00:00Z"), // 02:00 does not exist: 03:00 CEST
            at("2026-03-29T01:30:00Z")); // 03:30 CEST
  }

  @Test
  void expressions_that_would_surprise_are_refused_with_a_hint() {
    assertThatThrownBy(() -> CronCalendar.parse("0 4 1-7 * SUN", ZoneOffset.UTC))
        .hasMessageContaining("SUN#1");
    assertThatThrownBy(() -> CronCalendar.parse("0 25 * * *", ZoneOffset.UTC))
        .hasMessageContaining("invalid cron expression");
    assertThatThrownBy(() -> CronCalendar.parse("every day", ZoneOffset.UTC))
        .hasMessageContaining("minute hour day-of-month month day-of-week");
  }

  static List<Schedule> runbookSchedules() throws Exception {
    Path example = Path.of(CronCalendarTest.class.getResource("/dispatcher.example.yaml").toURI());
    return DispatcherConfigFile.schedules(example);
  }

  private static Map<String, List<String>> fire(List<Schedule> schedules, String from, String to) {
    Map<String, List<String>> out = new TreeMap<>();
    for (Schedule s : schedules) {
      out.put(
          s.name(),
          s.calendar().between(at(from), at(to), 1000).stream().map(Instant::toString).toList());
    }
    return out;
  }

  private static Instant at(String text) {
    return Instant.parse(text);
  }
}
