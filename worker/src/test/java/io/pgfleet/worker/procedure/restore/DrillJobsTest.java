package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void a_default_choice_whose_room_went_before_the_copy_streams_instead() throws Exception {
    List<Integer> tried = new ArrayList<>();

    DrillJobs.Ran<String> ran = new DrillJobs(2, DrillJobs.DEFAULT).run(diskFullAbove(1, tried));

    assertThat(ran.result()).isEqualTo("drilled with 1");
    assertThat(tried).containsExactly(2, 1);
    assertThat(ran.jobs()).isEqualTo(new DrillJobs(1, DrillJobs.WORK_DIR_ROOM));
  }

  @Test
  void a_commands_jobs_and_any_other_failure_fail_as_they_did() {
    List<Integer> tried = new ArrayList<>();
    assertThatThrownBy(() -> new DrillJobs(2, DrillJobs.COMMAND).run(diskFullAbove(1, tried)))
        .hasMessageContaining("no room");
    assertThat(tried).containsExactly(2);

    assertThatThrownBy(
            () ->
                new DrillJobs(2, DrillJobs.DEFAULT)
                    .run(
                        n -> {
                          throw new ProcedureFailure(ErrorCode.STORAGE_FAILED, "gone");
                        }))
        .hasMessageContaining("gone");
  }

  private static DrillJobs.Run<String> diskFullAbove(int jobs, List<Integer> tried) {
    return n -> {
      tried.add(n);
      if (n > jobs) {
        throw new ProcedureFailure(ErrorCode.INSUFFICIENT_DISK, "no room for the decoded copy");
      }
      return "drilled with " + n;
    };
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
