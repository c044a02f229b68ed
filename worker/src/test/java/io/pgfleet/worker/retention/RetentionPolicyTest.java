package io.pgfleet.worker.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.retention.RetentionPolicy.Backup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

  private static Backup at(String id, String time) {
    return new Backup(id, Instant.parse(time), false);
  }

  private static List<String> kept(RetentionPolicy policy, List<Backup> history) {
    return policy.apply(history, NOW).kept().keySet().stream().map(Backup::id).sorted().toList();
  }

  @Test
  void keep_last_keeps_the_n_newest_whatever_their_age() {
    List<Backup> history =
        List.of(
            at("a", "2026-01-01T00:00:00Z"),
            at("b", "2026-03-01T00:00:00Z"),
            at("c", "2026-02-01T00:00:00Z"));

    assertThat(kept(new RetentionPolicy(2, 0, 0, 0, 0), history)).containsExactly("b", "c");
  }

  @Test
  void keep_days_keeps_everything_newer_than_the_cutoff_and_nothing_at_or_before_it() {
    List<Backup> history =
        List.of(
            at("inside", "2026-11-14T12:00:01Z"),
            at("exactly", "2026-11-14T12:00:00Z"),
            at("outside", "2026-11-13T23:00:00Z"));

    assertThat(kept(new RetentionPolicy(0, 7, 0, 0, 0), history)).containsExactly("inside");
  }

  @Test
  void daily_keeps_the_newest_backup_of_each_of_the_last_n_days_that_have_one() {
    List<Backup> history =
        List.of(
            at("d21-late", "2026-11-21T10:00:00Z"),
            at("d21-early", "2026-11-21T01:00:00Z"),
            at("d19", "2026-11-19T05:00:00Z"),
            at("d15-late", "2026-11-15T23:59:59Z"),
            at("d15-early", "2026-11-15T00:00:00Z"));

    // days without a backup (20th, 16th-18th) do not use up the count
    assertThat(kept(new RetentionPolicy(0, 0, 3, 0, 0), history))
        .containsExactly("d15-late", "d19", "d21-late");
  }

  @Test
  void weekly_and_monthly_use_iso_weeks_and_calendar_months_in_utc() {
    List<Backup> history =
        List.of(
            at("sun-nov15", "2026-11-15T20:00:00Z"), // ISO week starting Mon Nov 9
            at("mon-nov9", "2026-11-09T01:00:00Z"),
            at("sun-nov8", "2026-11-08T01:00:00Z"), // week starting Mon Nov 2
            at("oct31", "2026-10-31T22:00:00Z"),
            at("oct1", "2026-10-01T00:00:00Z"),
            at("sep30", "2026-09-30T23:00:00Z"));

    assertThat(kept(new RetentionPolicy(0, 0, 0, 2, 0), history))
        .containsExactly("sun-nov15", "sun-nov8");
    assertThat(kept(new RetentionPolicy(0, 0, 0, 0, 3), history))
        .containsExactly("oct31", "sep30", "sun-nov15");
  }

  @Test
  void the_newest_verified_backup_is_kept_even_when_no_rule_keeps_it() {
    List<Backup> history = new ArrayList<>();
    history.add(at("new", "2026-11-21T00:00:00Z"));
    history.add(new Backup("old-verified", Instant.parse("2026-01-01T00:00:00Z"), true));
    history.add(new Backup("older-verified", Instant.parse("2025-01-01T00:00:00Z"), true));

    RetentionPolicy.Decision decision = new RetentionPolicy(1, 0, 0, 0, 0).apply(history, NOW);

    assertThat(decision.kept().keySet())
        .extracting(Backup::id)
        .containsExactly("new", "old-verified");
    assertThat(decision.kept().get(history.get(1))).containsExactly("newest verified");
    assertThat(decision.deleted()).extracting(Backup::id).containsExactly("older-verified");
  }

  @Test
  void rules_add_up_and_each_kept_backup_says_why() {
    List<Backup> history =
        List.of(at("a", "2026-11-21T06:00:00Z"), at("b", "2026-11-20T06:00:00Z"));

    RetentionPolicy.Decision decision = new RetentionPolicy(1, 0, 2, 0, 0).apply(history, NOW);

    assertThat(decision.kept().get(history.get(0))).containsExactly("last 1", "daily");
    assertThat(decision.kept().get(history.get(1))).containsExactly("daily");
    assertThat(decision.deleted()).isEmpty();
  }

  @Test
  void a_policy_with_every_count_at_zero_is_empty() {
    assertThat(new RetentionPolicy(0, 0, 0, 0, 0).isEmpty()).isTrue();
    assertThat(new RetentionPolicy(0, 0, 0, 0, 1).isEmpty()).isFalse();
  }
}
