package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ReindexParams;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.MaintenanceSettings;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code reindex bloated: true}: what the index-bloat estimate flags is rebuilt, nothing else. */
class ReindexBloatedTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static TargetSessions warehouse;
  private static String target;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("warehouse_db");
    target = fleet.target("warehouse_db");
    warehouse = new TargetSessions(fleet, "warehouse_db");
    results = fleet.results();
    MaintenanceSettings thresholds = SmallIndexBloat.thresholds();
    fleet.startWorker(
        fleet.workerConfig("worker-rb", t -> t.toBuilder().maintenance(thresholds).build()));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    warehouse.close();
    fleet.close();
  }

  @Test
  void a_bloated_index_is_rebuilt_concurrently_and_a_fresh_one_is_not_touched() throws Exception {
    bloatedAndFresh("rb");
    long bloatedBefore = size("\"Bloat_rb_Id\"");
    long freshBefore = size("fresh_rb_id");
    long freshFile = warehouse.number("SELECT pg_relation_filenode('fresh_rb_id')");

    ResultEvent end = run(ReindexParams.bloatedIndexes(false));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = end.data().statistics();
    assertThat(stats).containsEntry("concurrently", true).doesNotContainKey("dryRun");
    Map<String, Object> rebuilt = item(stats, "rebuilt", "public.Bloat_rb_Id");
    long bloatedAfter = size("\"Bloat_rb_Id\"");
    assertThat(bloatedAfter).isLessThan(bloatedBefore / 2);
    assertThat(((Number) rebuilt.get("bytesBefore")).longValue()).isEqualTo(bloatedBefore);
    assertThat(((Number) rebuilt.get("bytesAfter")).longValue()).isEqualTo(bloatedAfter);
    assertThat(((Number) rebuilt.get("bloatPercent")).doubleValue()).isGreaterThan(50);
    assertThat(rebuilt).containsEntry("table", "bloat_rb").containsEntry("attempts", 1);

    assertThat(warehouse.number("SELECT pg_relation_filenode('fresh_rb_id')")).isEqualTo(freshFile);
    assertThat(size("fresh_rb_id")).isEqualTo(freshBefore);
    assertThat(item(stats, "skipped", "public.fresh_rb_id"))
        .containsEntry("reason", "under the index-bloat thresholds");
    assertThat(names(stats, "rebuilt")).doesNotContain("public.fresh_rb_id");
    assertThat(valid("Bloat_rb_Id")).isTrue();
  }

  @Test
  void a_dry_run_lists_the_flagged_index_with_its_reindex_and_changes_nothing() throws Exception {
    bloatedAndFresh("dry");
    long bloatedFile = warehouse.number("SELECT pg_relation_filenode('\"Bloat_dry_Id\"')");
    long bloatedBefore = size("\"Bloat_dry_Id\"");

    ResultEvent end = run(ReindexParams.bloatedIndexes(true));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> stats = end.data().statistics();
    assertThat(stats).containsEntry("dryRun", true).doesNotContainKey("rebuilt");
    Map<String, Object> wouldRebuild = item(stats, "wouldRebuild", "public.Bloat_dry_Id");
    assertThat(wouldRebuild)
        .containsEntry("reindex", "REINDEX INDEX CONCURRENTLY public.\"Bloat_dry_Id\"");
    assertThat(((Number) wouldRebuild.get("bytes")).longValue()).isEqualTo(bloatedBefore);
    assertThat(names(stats, "wouldRebuild")).doesNotContain("public.fresh_dry_id");
    assertThat(names(stats, "skipped")).contains("public.fresh_dry_id");
    assertThat(warehouse.number("SELECT pg_relation_filenode('\"Bloat_dry_Id\"')"))
        .isEqualTo(bloatedFile);
    assertThat(size("\"Bloat_dry_Id\"")).isEqualTo(bloatedBefore);
  }

  @Test
  void a_dry_run_of_a_table_lists_its_indexes_and_rebuilds_none() throws Exception {
    bloatedAndFresh("dry_table");
    long file = warehouse.number("SELECT pg_relation_filenode('\"Bloat_dry_table_Id\"')");

    ResultEvent end = run(new ReindexParams(null, "bloat_dry_table", null, null, null, null, true));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics())
        .containsEntry("scope", "table public.bloat_dry_table")
        .containsEntry("dryRun", true)
        .doesNotContainKey("rebuilt");
    // the table's index and its TOAST table's, as REINDEX TABLE would rebuild them
    assertThat(names(end.data().statistics()))
        .hasSize(2)
        .contains("public.Bloat_dry_table_Id")
        .anySatisfy(name -> assertThat(name).startsWith("pg_toast.pg_toast_"));
    assertThat(warehouse.number("SELECT pg_relation_filenode('\"Bloat_dry_table_Id\"')"))
        .isEqualTo(file);
  }

  @Test
  void a_blocking_rebuild_of_the_bloated_indexes_needs_the_targets_permission() {
    ResultEvent refused = run(new ReindexParams(null, null, null, true, false, null, null));

    assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(refused.data().error().code()).isEqualTo("OPERATION_NOT_ALLOWED");
    assertThat(refused.data().error().message())
        .contains("targets." + target + ".allow.blockingReindex: true");
  }

  /** Every page of the first index keeps a tenth of its rows; the second is built on as many. */
  private static void bloatedAndFresh(String name) throws Exception {
    try (Connection owner = warehouse.asOwner("test-setup");
        Statement st = owner.createStatement()) {
      st.execute(
          ("CREATE TABLE bloat_@ (id int NOT NULL, pad text);"
                  + " CREATE INDEX \"Bloat_@_Id\" ON bloat_@ (id);"
                  + " INSERT INTO bloat_@ SELECT i, repeat('p', 20)"
                  + " FROM generate_series(1, 100000) i;"
                  + " DELETE FROM bloat_@ WHERE id % 10 <> 0;"
                  + " CREATE TABLE fresh_@ AS SELECT id FROM bloat_@;"
                  + " CREATE INDEX fresh_@_id ON fresh_@ (id);")
              .replace("@", name));
      st.execute("VACUUM ANALYZE bloat_" + name);
      st.execute("VACUUM ANALYZE fresh_" + name);
    }
  }

  private static long size(String index) throws Exception {
    return warehouse.number("SELECT pg_relation_size('" + index + "')");
  }

  private static boolean valid(String index) throws Exception {
    return warehouse.number(
            "SELECT count(*) FROM pg_index WHERE indisvalid AND indexrelid = '\""
                + index
                + "\"'::regclass")
        == 1;
  }

  @SuppressWarnings("unchecked")
  private static List<String> names(Map<String, Object> stats) {
    return (List<String>) stats.get("wouldRebuild");
  }

  private static List<Object> names(Map<String, Object> stats, String list) {
    return ((List<?>) stats.get(list))
        .stream().map(i -> (Object) ((Map<?, ?>) i).get("index")).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> item(Map<String, Object> stats, String list, String index) {
    return ((List<?>) stats.get(list))
        .stream()
            .map(i -> (Map<String, Object>) i)
            .filter(i -> index.equals(i.get("index")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + index + " in " + list + ": " + stats));
  }

  private static ResultEvent run(ReindexParams params) {
    Command command = Commands.of(Operation.REINDEX, target, params).build();
    fleet.publisher().publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
