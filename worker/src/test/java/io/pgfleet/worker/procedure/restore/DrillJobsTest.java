package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A drill without jobs takes two where it may and streams otherwise; a command's jobs stand. */
class DrillJobsTest {
  private final AtomicBoolean asked = new AtomicBoolean();

  @Test
  void an_unencrypted_custom_backup_with_room_on_two_or_more_cores_takes_two_jobs() {
    assertThat(choose(null, false, false, 4, 8, true)).isEqualTo(new DrillJobs(2, "default"));
    assertThat(choose(null, false, false, 2, 2, true)).isEqualTo(new DrillJobs(2, "default"));
  }

  @Test
  void each_reason_to_stream_is_named_and_the_disk_is_only_looked_at_when_it_decides() {
    assertThat(choose(null, false, true, 4, 8, true)).isEqualTo(new DrillJobs(1, "encrypted"));
    assertThat(choose(null, true, false, 4, 8, true)).isEqualTo(new DrillJobs(1, "directory"));
    assertThat(choose(null, false, false, 1, 8, true)).isEqualTo(new DrillJobs(1, "maxJobs"));
    assertThat(choose(null, false, false, 4, 1, true)).isEqualTo(new DrillJobs(1, "oneCore"));
    assertThat(asked).isFalse();
    assertThat(choose(null, false, false, 4, 8, false)).isEqualTo(new DrillJobs(1, "workDirRoom"));
    assertThat(asked).isTrue();
  }

  @Test
  void a_commands_own_jobs_are_kept_whatever_the_backup_or_the_disk() {
    assertThat(choose(1, false, false, 4, 8, true)).isEqualTo(new DrillJobs(1, "command"));
    assertThat(choose(3, false, true, 2, 1, false)).isEqualTo(new DrillJobs(3, "command"));
    assertThat(asked).isFalse();
  }

  private DrillJobs choose(
      Integer requested,
      boolean directory,
      boolean encrypted,
      int maxJobs,
      int processors,
      boolean room) {
    return DrillJobs.choose(
        requested,
        directory,
        encrypted,
        maxJobs,
        processors,
        () -> {
          asked.set(true);
          return room;
        });
  }
}
