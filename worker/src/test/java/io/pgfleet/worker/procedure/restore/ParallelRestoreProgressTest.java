package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.worker.storage.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Driven by pg_restore 15's own output of a 2-job restore (see resources/pg_restore/README.md). */
class ParallelRestoreProgressTest {
  private static final String LISTING = resource("warehouse-jobs2.list");
  private static final List<String> VERBOSE =
      List.of(resource("warehouse-jobs2.verbose").split("\n"));

  private final Map<String, String> readableAt = new LinkedHashMap<>();
  private String lastLine;

  @Test
  void each_table_is_readable_right_after_its_primary_key_while_the_other_job_still_loads() {
    feed(new ParallelRestoreProgress(LISTING, tables(true), this::readable));

    assertThat(readableAt)
        .containsExactly(
            Map.entry(
                "public.audit_events",
                "pg_restore: finished item 3221 CONSTRAINT audit_events audit_events_pkey"),
            Map.entry(
                "public.stock_movements",
                "pg_restore: finished item 3217 CONSTRAINT stock_movements stock_movements_pkey"),
            Map.entry(
                "public.reservations",
                "pg_restore: finished item 3219 CONSTRAINT reservations reservations_pkey"),
            Map.entry(
                "public.inventory",
                "pg_restore: finished item 3215 CONSTRAINT inventory inventory_pkey"));
    // audit_events was ready while stock_movements' COPY, launched before it, was still running
    assertThat(VERBOSE.indexOf(readableAt.get("public.audit_events")))
        .isLessThan(VERBOSE.indexOf("pg_restore: finished item 3369 TABLE DATA stock_movements"));
  }

  @Test
  void a_table_whose_data_is_in_but_whose_primary_key_is_not_is_not_readable_yet() {
    ParallelRestoreProgress progress =
        new ParallelRestoreProgress(LISTING, tables(true), this::readable);
    int dataDone = VERBOSE.indexOf("pg_restore: finished item 3373 TABLE DATA audit_events");
    VERBOSE.subList(0, dataDone + 1).forEach(progress::line);

    assertThat(readableAt).isEmpty();
  }

  @Test
  void a_manifest_without_dump_ids_finds_each_tables_data_by_its_name_the_same_way() {
    feed(new ParallelRestoreProgress(LISTING, tables(false), this::readable));

    assertThat(readableAt.keySet())
        .containsExactly(
            "public.audit_events",
            "public.stock_movements",
            "public.reservations",
            "public.inventory");
  }

  @Test
  void a_finished_line_naming_its_entry_otherwise_than_the_toc_counts_for_nothing() {
    ParallelRestoreProgress progress =
        new ParallelRestoreProgress(LISTING, tables(true), this::readable);
    progress.line("pg_restore: finished item 3367 TABLE DATA audit_events"); // 3367 is inventory
    progress.line("pg_restore: finished item 3215 CONSTRAINT inventory other_pkey");

    assertThat(readableAt).isEmpty();
  }

  @Test
  void every_line_pg_restore_printed_is_progress_and_errors_are_not() {
    ParallelRestoreProgress progress =
        new ParallelRestoreProgress(LISTING, tables(true), this::readable);

    assertThat(VERBOSE).allMatch(progress::line);
    assertThat(progress.line("pg_restore: error: could not execute query: ERROR:  boom")).isFalse();
    assertThat(progress.line("pg_restore: from TOC entry 3373; 0 16421 TABLE DATA x postgres"))
        .isFalse();
  }

  private void feed(ParallelRestoreProgress progress) {
    for (String line : VERBOSE) {
      lastLine = line;
      progress.line(line);
    }
  }

  private void readable(String table) {
    readableAt.put(table, lastLine);
  }

  /** The sample's tables as a manifest names them, with their TABLE DATA dump ids or without. */
  private static List<Manifest.TableCount> tables(boolean withDumpIds) {
    Object[][] data = {
      {"audit_events", 3373}, {"inventory", 3367}, {"reservations", 3371}, {"stock_movements", 3369}
    };
    List<Manifest.TableCount> tables = new ArrayList<>();
    for (Object[] t : data) {
      tables.add(
          new Manifest.TableCount(
              "public", (String) t[0], 1, 1L, "00", withDumpIds ? (Integer) t[1] : null));
    }
    return tables;
  }

  private static String resource(String name) {
    try (InputStream in =
        ParallelRestoreProgressTest.class.getResourceAsStream("/pg_restore/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
