package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
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

/** Runbook 003's "check bloat first" and "index sizes", runbook 000's "table statistics". */
class IndexBloatAndTableSizeTest {
  private static final int SMALL_TABLES = 60;

  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static TargetSessions warehouse;
  private static String target;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new Fleet("warehouse_db");
    target = fleet.target("warehouse_db");
    warehouse = new TargetSessions(fleet, "warehouse_db");
    StringBuilder small = new StringBuilder();
    for (int i = 1; i <= SMALL_TABLES; i++) {
      small.append("CREATE TABLE small_").append(i).append(" (v int);");
    }
    try (Connection owner = warehouse.asOwner("test-setup");
        Statement st = owner.createStatement()) {
      st.execute(
          small
              // every page of the index keeps a tenth of its rows: bloated until rebuilt
              + "CREATE TABLE bloat_demo (id int NOT NULL, pad text);"
              + " CREATE INDEX \"Bloat_Demo_Id\" ON bloat_demo (id);"
              + " INSERT INTO bloat_demo SELECT i, repeat('p', 20) FROM generate_series(1, 100000) i;"
              + " DELETE FROM bloat_demo WHERE id % 10 <> 0;"
              + " CREATE TABLE fresh_demo AS SELECT id FROM bloat_demo;"
              + " CREATE INDEX fresh_demo_id ON fresh_demo (id);");
      st.execute("VACUUM ANALYZE bloat_demo");
      st.execute("VACUUM ANALYZE fresh_demo");
    }
    results = fleet.results();
    publisher = fleet.publisher();
    MaintenanceSettings thresholds = SmallIndexBloat.thresholds();
    fleet.startWorker(
        fleet.workerConfig("worker-bloat", t -> t.toBuilder().maintenance(thresholds).build()));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    warehouse.close();
    fleet.close();
  }

  @Test
  void an_index_bloated_by_deletes_is_flagged_with_its_reindex_and_a_fresh_one_is_not()
      throws Exception {
    Finding before = run("index-bloat");

    Map<String, Object> bloated = item(before, "index", "public.Bloat_Demo_Id");
    assertThat(before.status()).isEqualTo(Status.CRITICAL);
    assertThat(before.unit()).isEqualTo("percent");
    assertThat(((Number) bloated.get("bloatPercent")).doubleValue()).isGreaterThan(50);
    assertThat(((Number) bloated.get("bloatBytes")).longValue()).isGreaterThan(1 << 20);
    assertThat(bloated)
        .containsEntry("table", "bloat_demo")
        .containsEntry("status", "critical")
        .containsEntry("reindex", "REINDEX INDEX CONCURRENTLY public.\"Bloat_Demo_Id\"");
    assertThat(((Number) bloated.get("bytes")).longValue())
        .isEqualTo(warehouse.number("SELECT pg_relation_size('\"Bloat_Demo_Id\"')"));
    Map<String, Object> fresh = item(before, "index", "public.fresh_demo_id");
    assertThat(fresh).doesNotContainKeys("status", "reindex");
    assertThat(((Number) fresh.get("bloatPercent")).doubleValue()).isLessThan(30);
    assertThat(before.items().get(0)).isSameAs(bloated); // flagged ones first
    assertThat(before.message()).contains("1 estimated bloated past the thresholds");

    // the statement given is the fix: after it, the estimate finds nothing to rebuild
    warehouse.execute((String) bloated.get("reindex"));
    Finding after = run("index-bloat");
    assertThat(after.status()).isEqualTo(Status.OK);
    assertThat(item(after, "index", "public.Bloat_Demo_Id")).doesNotContainKey("reindex");
  }

  @Test
  void table_size_lists_the_tables_largest_first_up_to_fifty_and_counts_the_rest()
      throws Exception {
    long tables =
        warehouse.number(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog',"
                + " 'information_schema')");
    Finding sizes = run("table-size");

    assertThat(tables).isGreaterThanOrEqualTo(SMALL_TABLES + 2); // more than are listed
    assertThat(sizes.items()).hasSize(50);
    assertThat(sizes.items().get(0)).containsEntry("table", "public.bloat_demo");
    assertThat(sizes.value().longValue())
        .isEqualTo(warehouse.number("SELECT pg_total_relation_size('bloat_demo')"));
    List<Long> bytes =
        sizes.items().stream().map(i -> ((Number) i.get("bytes")).longValue()).toList();
    assertThat(bytes).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    assertThat(sizes.message())
        .contains(tables + " tables take")
        .contains("the 50 largest listed (the other " + (tables - 50) + " take");
    assertThat(sizes.status()).isEqualTo(Status.OK);
  }

  private static Map<String, Object> item(Finding finding, String key, String value) {
    return finding.items().stream()
        .filter(i -> value.equals(i.get(key)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + value + " in " + finding));
  }

  private static Finding run(String check) {
    Command command =
        Commands.of(Operation.HEALTH_CHECK, target, new HealthCheckParams(List.of(check))).build();
    publisher.publish(command).join();
    ResultEvent end = results.awaitTerminal(command.id());
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    return end.data().findings().get(0);
  }
}
