package io.pgfleet.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.schedule.CronCalendar;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.TargetSelector;
import io.pgfleet.testing.SettableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Schedules against the real local Kafka and PostgreSQL, with a clock the test moves. */
class SchedulesTest {

  @Test
  void two_dispatchers_side_by_side_for_a_simulated_week_send_each_command_exactly_once()
      throws Exception {
    try (TestFleet fleet = new TestFleet("order_db", "payment_db")) {
      createCommandTopics(fleet);
      Instant start = Instant.parse("2026-11-16T00:00:00Z"); // a Monday
      Instant end = start.plus(Duration.ofDays(7));
      SettableClock clock = new SettableClock(start);
      List<Schedule> schedules =
          List.of(
              schedule("nightly-backup", "0 2 * * *", ZoneOffset.UTC, TargetSelector.everyTarget()),
              schedule(
                  "hourly-orders",
                  "0 * * * *",
                  ZoneOffset.UTC,
                  TargetSelector.of(List.of("*order*"))),
              schedule(
                  "sunday-berlin",
                  "0 3 * * SUN",
                  ZoneId.of("Europe/Berlin"),
                  TargetSelector.everyTarget()));
      Dispatcher a = start(fleet, "dispatcher-a", schedules, clock);
      Dispatcher b = start(fleet, "dispatcher-b", schedules, clock);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        tickTogether(pool, a, b);
        while (clock.instant().isBefore(end)) {
          clock.advance(Duration.ofMinutes(10));
          tickTogether(pool, a, b);
          if (clock.instant().equals(start.plus(Duration.ofDays(3).plusHours(12)))) {
            a.close(); // the leader goes away mid-week: b takes over
            a = b;
          } else if (clock.instant().equals(start.plus(Duration.ofDays(4).plusHours(12)))) {
            a = start(fleet, "dispatcher-c", schedules, clock); // a new replica joins
          }
        }
      } finally {
        pool.shutdownNow();
      }

      List<JsonNode> sent = CommandTopics.readAll(fleet.stack.kafka().bootstrapServers(), fleet.id);
      Map<String, Long> perId =
          sent.stream()
              .collect(
                  Collectors.groupingBy(
                      c -> readable(c.get("id").asText()), TreeMap::new, Collectors.counting()));
      List<String> expected = expectedIds(schedules, fleet.targets(), start, end);
      assertThat(expected).hasSize(7 * 2 + 7 * 24 + 2);
      assertThat(perId.keySet()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(perId.values()).allMatch(n -> n == 1);
      JsonNode sunday =
          sent.stream()
              .filter(
                  c ->
                      readable(c.get("id").asText())
                          .equals(
                              "sunday-berlin:"
                                  + fleet.target("order_db")
                                  + ":2026-11-22T02:00:00Z"))
              .findFirst()
              .orElseThrow();
      assertThat(sunday.get("source").asText()).isEqualTo("urn:pgfleet:schedule:sunday-berlin");
      assertThat(sunday.get("expiresat").asText()).isEqualTo("2026-11-22T05:00:00Z");
      assertThat(count(fleet, "SELECT count(*) FROM pgfleet.schedule_fires WHERE state = 'missed'"))
          .isZero();
    }
  }

  @Test
  void a_dispatcher_down_for_three_hours_fires_each_missed_schedule_once_on_return()
      throws Exception {
    try (TestFleet fleet = new TestFleet("order_db")) {
      createCommandTopics(fleet);
      SettableClock clock = new SettableClock(Instant.parse("2026-11-21T00:05:00Z"));
      List<Schedule> schedules =
          List.of(
              schedule("hourly", "0 * * * *", ZoneOffset.UTC, TargetSelector.everyTarget()),
              schedule("at-0130", "30 1 * * *", ZoneOffset.UTC, TargetSelector.everyTarget()),
              schedule("at-0200", "0 2 * * *", ZoneOffset.UTC, TargetSelector.everyTarget()));
      Dispatcher first = start(fleet, "dispatcher-a", schedules, clock, Duration.ofHours(2));
      first.tick();
      clock.set(Instant.parse("2026-11-21T00:50:00Z"));
      assertThat(first.tick()).isZero();
      first.close();

      clock.set(Instant.parse("2026-11-21T03:50:00Z")); // down from 00:50 to 03:50
      Dispatcher back = start(fleet, "dispatcher-b", schedules, clock, Duration.ofHours(2));
      int sent = back.tick();
      int again = back.tick();

      String target = fleet.target("order_db");
      List<String> ids =
          CommandTopics.readAll(fleet.stack.kafka().bootstrapServers(), fleet.id).stream()
              .map(c -> readable(c.get("id").asText()))
              .toList();
      assertThat(sent).isEqualTo(2);
      assertThat(again).isZero();
      assertThat(ids)
          .containsExactlyInAnyOrder(
              "hourly:" + target + ":2026-11-21T03:00:00Z", // once, for 01:00, 02:00 and 03:00
              "at-0200:" + target + ":2026-11-21T02:00:00Z"); // 1 h 50 late: within the horizon
      assertThat(fires(fleet))
          .containsEntry("hourly@2026-11-21T01:00:00Z", "missed")
          .containsEntry("hourly@2026-11-21T02:00:00Z", "missed")
          .containsEntry("hourly@2026-11-21T03:00:00Z", "fired")
          .containsEntry("at-0130@2026-11-21T01:30:00Z", "missed") // 2 h 20 late: past the horizon
          .containsEntry("at-0200@2026-11-21T02:00:00Z", "fired")
          .hasSize(5);
    }
  }

  private static Dispatcher start(
      TestFleet fleet, String id, List<Schedule> schedules, SettableClock clock) {
    return start(fleet, id, schedules, clock, Duration.ofHours(6));
  }

  private static Dispatcher start(
      TestFleet fleet, String id, List<Schedule> schedules, SettableClock clock, Duration horizon) {
    return fleet.startDispatcher(fleet.dispatcherConfig(id, horizon, schedules), clock);
  }

  private static void tickTogether(ExecutorService pool, Dispatcher a, Dispatcher b)
      throws Exception {
    List<Callable<Integer>> ticks = List.of(a::tick, b::tick);
    for (var f : pool.invokeAll(ticks)) {
      f.get();
    }
  }

  private static Schedule schedule(String name, String cron, ZoneId zone, TargetSelector targets) {
    ObjectNode params = Json.mapper().createObjectNode().put("compressionLevel", 1);
    return new Schedule(
        name, CronCalendar.parse(cron, zone), targets, "backup", params, Duration.ofHours(3));
  }

  /**
   * A schedule's command id without its tag, the HMAC no producer can predict (it is checked to be
   * there): the tags of one instant agree across replicas, so ids still count once.
   */
  private static String readable(String id) {
    assertThat(id).matches(".*:[0-9a-f]{24}");
    return id.substring(0, id.length() - 25);
  }

  private static List<String> expectedIds(
      List<Schedule> schedules, List<String> targets, Instant start, Instant end) {
    List<String> ids = new ArrayList<>();
    for (Schedule s : schedules) {
      for (Instant at : s.calendar().between(start, end, 10_000)) {
        s.targets().select(targets).forEach(t -> ids.add(s.commandId(t, at)));
      }
    }
    return ids;
  }

  private static void createCommandTopics(TestFleet fleet) {
    fleet.targets().forEach(t -> fleet.stack.kafka().createTopic(fleet.topics.commands(t), 1));
  }

  private static long count(TestFleet fleet, String sql) throws Exception {
    try (Connection c = fleet.stack.postgres().connect(fleet.ledgerDatabase);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Map<String, String> fires(TestFleet fleet) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = fleet.stack.postgres().connect(fleet.ledgerDatabase);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT schedule, instant, state FROM pgfleet.schedule_fires")) {
      while (rs.next()) {
        out.put(rs.getString(1) + "@" + rs.getTimestamp(2).toInstant(), rs.getString(3));
      }
    }
    return out;
  }
}
