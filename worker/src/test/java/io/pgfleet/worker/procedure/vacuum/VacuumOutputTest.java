package io.pgfleet.worker.procedure.vacuum;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.procedure.maintenance.ServerMessages.Message;
import io.pgfleet.worker.sql.TableRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VACUUM VERBOSE as PostgreSQL 15 words it, read into numbers. */
class VacuumOutputTest {
  private static final String FINISHED =
      """
      finished vacuuming "appdb.public.t": index scans: 1
      pages: 3 removed, 45 remain, 45 scanned (100.00% of total)
      tuples: 5000 removed, 5000 remain, 0 are dead but not yet removable
      removable cutoff: 731, which was 0 XIDs old when operation ended""";

  @Test
  void removed_tuples_and_pages_are_read_per_table() {
    VacuumOutput out =
        VacuumOutput.parse(
            List.of(
                new Message("INFO", "vacuuming \"appdb.public.t\""),
                new Message("INFO", FINISHED),
                new Message("WARNING", "skipping vacuum of \"busy\" --- lock not available")));

    assertThat(out.tables()).containsEntry("public.t", new VacuumOutput.Removed(5000, 3));
    assertThat(out.tuplesRemoved()).isEqualTo(5000);
    assertThat(out.pagesRemoved()).isEqualTo(3);
    assertThat(out.skipped()).containsExactly("skipping vacuum of \"busy\" --- lock not available");
  }

  @Test
  void vacuum_full_reports_removable_row_versions() {
    VacuumOutput out =
        VacuumOutput.parse(
            List.of(
                new Message(
                    "INFO",
                    "\"public.t\": found 120 removable, 5000 nonremovable row versions in 45 pages")));

    assertThat(out.tables()).containsEntry("public.t", new VacuumOutput.Removed(120, 0));
  }

  @Test
  void a_table_bigger_than_the_free_disk_is_refused_with_both_numbers() {
    TableRef table = new TableRef("public", "events");

    assertThat(DiskSpace.shortfall(10L << 30, 2L << 30, table, Path.of("/data"))).isEmpty();
    assertThat(DiskSpace.shortfall(1L << 30, 2L << 30, table, Path.of("/data")))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("public.events")
                    .contains("about 2.0 GiB")
                    .contains("only 1.0 GiB is free at /data"));
  }
}
