package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestoreProgressTest {
  private final List<String> committed = new ArrayList<>();
  private final RestoreProgress progress = new RestoreProgress(committed::add);

  @Test
  void a_table_counts_as_loaded_only_once_pg_restore_prints_its_next_step() {
    progress.line("pg_restore: connecting to database for restore");
    progress.line("pg_restore: creating TABLE \"public.a\"");
    progress.line("pg_restore: processing data for table \"public.a\"");
    assertThat(committed).isEmpty();

    progress.line("pg_restore: processing data for table \"public.b\"");
    assertThat(committed).containsExactly("public.a");

    progress.line("pg_restore: executing SEQUENCE SET s");
    progress.line("pg_restore: creating CONSTRAINT \"public.a a_pkey\"");
    assertThat(committed).containsExactly("public.a", "public.b");
  }

  @Test
  void errors_and_warnings_during_a_copy_do_not_mark_the_table_loaded() {
    progress.line("pg_restore: processing data for table \"public.a\"");

    assertThat(progress.line("pg_restore: from TOC entry 3390; 0 16390 TABLE DATA a postgres"))
        .isFalse();
    assertThat(progress.line("pg_restore: error: could not execute query: ERROR:  boom")).isFalse();
    assertThat(progress.line("pg_restore: warning: errors ignored on restore: 1")).isFalse();
    assertThat(committed).isEmpty();
  }

  @Test
  void the_last_table_is_never_reported_by_the_lines_alone() {
    progress.line("pg_restore: processing data for table \"public.last\"");

    assertThat(committed).isEmpty();
  }

  @Test
  void a_constraint_counts_as_created_once_pg_restore_prints_its_next_step_and_post_data_is_told()
      throws Exception {
    List<String> constrained = new ArrayList<>();
    List<String> postData = new ArrayList<>();
    RestoreProgress withConstraints =
        new RestoreProgress(committed::add, constrained::add, () -> postData.add("post-data"));
    withConstraints.line("pg_restore: processing data for table \"public.a\"");
    withConstraints.line("pg_restore: creating CONSTRAINT \"public.a a_pkey\"");
    assertThat(postData).containsExactly("post-data");
    assertThat(constrained).isEmpty();

    withConstraints.line("pg_restore: creating CONSTRAINT \"public.b b_pkey\"");
    assertThat(constrained).containsExactly("public.a a_pkey");

    withConstraints.line("pg_restore: creating INDEX \"public.b_x\"");
    assertThat(constrained).containsExactly("public.a a_pkey", "public.b b_pkey");
    assertThat(postData).hasSize(1);
  }

  @Test
  void a_serial_restore_tells_progress_from_errors_as_a_parallel_one_does() {
    ParallelRestoreProgress parallel = new ParallelRestoreProgress("", List.of(), t -> {});
    Map<String, Boolean> lines = new LinkedHashMap<>();
    lines.put("pg_restore: connecting to database for restore", true);
    lines.put("pg_restore: creating TABLE \"public.a\"", true);
    lines.put("pg_restore: processing data for table \"public.a\"", true);
    lines.put("pg_restore: executing SEQUENCE SET s", true);
    lines.put("pg_restore: from TOC entry 3390; 0 16390 TABLE DATA a postgres", false);
    lines.put("pg_restore: error: could not execute query: ERROR:  boom", false);
    lines.put("pg_restore: warning: errors ignored on restore: 1", false);

    lines.forEach(
        (line, expected) -> {
          assertThat(progress.isProgress(line)).as("serial: " + line).isEqualTo(expected);
          assertThat(parallel.isProgress(line)).as("parallel: " + line).isEqualTo(expected);
        });
  }
}
