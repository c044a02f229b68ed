package io.pgfleet.worker.retention;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Which backups of one target to keep. A backup is kept when any rule keeps it:
 *
 * <ul>
 *   <li>{@code keepLast}: the N newest;
 *   <li>{@code keepDays}: everything newer than D days;
 *   <li>{@code daily} / {@code weekly} / {@code monthly} (grandfather-father-son): the newest
 *       backup of each of the last N calendar days / ISO weeks / months (UTC) that have one;
 *   <li>always: the newest verified backup, so the last proven restore point never goes.
 * </ul>
 *
 * A rule set to 0 keeps nothing by itself. With every rule at 0 only the newest verified backup
 * (or, with none verified, nothing) is kept; {@link #isEmpty()} lets callers refuse that.
 */
public record RetentionPolicy(int keepLast, int keepDays, int daily, int weekly, int monthly) {

  public RetentionPolicy {
    for (int n : new int[] {keepLast, keepDays, daily, weekly, monthly}) {
      if (n < 0) {
        throw new IllegalArgumentException("retention counts cannot be negative");
      }
    }
  }

  public boolean isEmpty() {
    return keepLast == 0 && keepDays == 0 && daily == 0 && weekly == 0 && monthly == 0;
  }

  /** One backup as the policy sees it. */
  public record Backup(String id, Instant createdAt, boolean verified) {}

  /** Every backup with the reasons it is kept; those without a reason go. */
  public record Decision(Map<Backup, List<String>> kept, List<Backup> deleted) {}

  /** Decides over a target's whole history, at {@code now}. A pure function. */
  public Decision apply(List<Backup> history, Instant now) {
    List<Backup> newestFirst =
        history.stream()
            .sorted(Comparator.comparing(Backup::createdAt).thenComparing(Backup::id).reversed())
            .toList();
    Map<Backup, List<String>> reasons = new LinkedHashMap<>();
    newestFirst.forEach(b -> reasons.put(b, new ArrayList<>()));

    newestFirst.stream().limit(keepLast).forEach(b -> reasons.get(b).add("last " + keepLast));
    Instant cutoff = now.minus(Duration.ofDays(keepDays));
    newestFirst.stream()
        .filter(b -> keepDays > 0 && b.createdAt().isAfter(cutoff))
        .forEach(b -> reasons.get(b).add("newer than " + keepDays + " days"));
    newestOfEach(newestFirst, daily, d -> d, reasons, "daily");
    newestOfEach(newestFirst, weekly, RetentionPolicy::isoWeek, reasons, "weekly");
    newestOfEach(newestFirst, monthly, d -> d.withDayOfMonth(1), reasons, "monthly");
    newestFirst.stream()
        .filter(Backup::verified)
        .findFirst()
        .ifPresent(b -> reasons.get(b).add("newest verified"));

    Map<Backup, List<String>> kept = new LinkedHashMap<>();
    List<Backup> deleted = new ArrayList<>();
    reasons.forEach(
        (b, why) -> {
          if (why.isEmpty()) {
            deleted.add(b);
          } else {
            kept.put(b, List.copyOf(why));
          }
        });
    return new Decision(kept, deleted);
  }

  /** The newest backup in each of the {@code count} most recent periods that have a backup. */
  private static void newestOfEach(
      List<Backup> newestFirst,
      int count,
      Function<LocalDate, LocalDate> period,
      Map<Backup, List<String>> reasons,
      String rule) {
    Map<LocalDate, Backup> newestPerPeriod = new TreeMap<>(Comparator.reverseOrder());
    for (Backup b : newestFirst) {
      LocalDate day = LocalDate.ofInstant(b.createdAt(), ZoneOffset.UTC);
      newestPerPeriod.putIfAbsent(period.apply(day), b);
    }
    newestPerPeriod.values().stream().limit(count).forEach(b -> reasons.get(b).add(rule));
  }

  /** The Monday of the ISO week of {@code day}. */
  private static LocalDate isoWeek(LocalDate day) {
    return day.with(DayOfWeek.MONDAY);
  }
}
