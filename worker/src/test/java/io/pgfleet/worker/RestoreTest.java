package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.RestoreParams.Mode;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalPostgres;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The three restore modes bring back exactly the data that was dumped, each with its safety. */
class RestoreTest {
  private static final List<String> ORDER_TABLES =
      List.of(
          "orders", "order_items", "outbox_events", "outbox_events_archive", "event_idempotency");
  private static final List<String> PAYMENT_TABLES =
      List.of("payment_methods", "payments", "transactions");

  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static LocalPostgres pg;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "payment_db", "warehouse_db");
    results = fleet.results();
    publisher = fleet.publisher();
    pg = fleet.stack.postgres();
    String warehouse = fleet.target("warehouse_db");
    // warehouse_db keeps the default: no destructive restores
    fleet.startWorker(
        fleet.workerConfig(
            "worker-r",
            t ->
                t.name().equals(warehouse)
                    ? t
                    : t.toBuilder().restore(fleet.restoreAsSuperuser(true)).build()));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void a_new_database_restore_holds_exactly_the_dumped_data_and_never_touches_existing_ones()
      throws Exception {
    String target = fleet.target("order_db");
    Map<String, String> dumped = Tables.fingerprints(pg, target, ORDER_TABLES);
    Artifact artifact = backup(target);
    String database = fleet.id + "_orders_copy";

    ResultEvent end = run(target, params(artifact.uri(), Mode.NEW_DATABASE, database));
    ResultEvent again = run(target, params(artifact.uri(), Mode.NEW_DATABASE, database));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics()).containsEntry("database", database);
    assertThat(Tables.fingerprints(pg, database, ORDER_TABLES)).isEqualTo(dumped);
    assertThat(
            Tables.scalar(
                pg,
                database,
                "SELECT count(*) FROM pg_tables WHERE tableowner = '"
                    + fleet.databases.get("order_db").owner()
                    + "'"))
        .as("restored objects belong to the target's own user")
        .isEqualTo(ORDER_TABLES.size());
    assertThat(again.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(again.data().error().code()).isEqualTo("RESTORE_CONFLICT");
  }

  @Test
  void replace_terminates_sessions_and_brings_back_the_dumped_data() throws Exception {
    String target = fleet.target("payment_db");
    Map<String, String> dumped = Tables.fingerprints(pg, target, PAYMENT_TABLES);
    Artifact artifact = backup(target);
    pg.execute(
        target,
        "DELETE FROM transactions; UPDATE payments SET amount_cents = 1 WHERE id < 50;"
            + " CREATE TABLE junk (id int)");
    assertThat(Tables.fingerprints(pg, target, PAYMENT_TABLES)).isNotEqualTo(dumped);

    ResultEvent refused =
        run(target, new RestoreParams(artifact.uri(), Mode.REPLACE, null, null, null, null, null));
    ResultEvent end;
    try (Connection session = pg.connect(target)) {
      end =
          run(
              target,
              new RestoreParams(artifact.uri(), Mode.REPLACE, null, null, null, null, target));
      assertThat(session.isValid(2)).as("the open session was terminated").isFalse();
    }

    assertThat(refused.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(refused.data().error().code()).isEqualTo("CONFIRMATION_REQUIRED");
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics()).containsEntry("sessionsTerminated", 1);
    assertThat(Tables.fingerprints(pg, target, PAYMENT_TABLES)).isEqualTo(dumped);
    assertThat(Tables.scalar(pg, target, "SELECT count(*) FROM pg_tables WHERE tablename = 'junk'"))
        .isZero();
  }

  @Test
  void replace_without_confirm_or_without_permission_is_refused_and_changes_nothing()
      throws Exception {
    String target = fleet.target("warehouse_db");
    Artifact artifact = backup(target);
    pg.execute(target, "DELETE FROM reservations WHERE id % 2 = 0");
    Map<String, String> now = Tables.fingerprints(pg, target, List.of("reservations", "inventory"));

    ResultEvent notAllowed =
        run(
            target,
            new RestoreParams(artifact.uri(), Mode.REPLACE, null, null, null, null, target));

    assertThat(notAllowed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(notAllowed.data().error().code()).isEqualTo("OPERATION_NOT_ALLOWED");
    assertThat(notAllowed.data().error().message()).contains("restore.allowOverwrite");
    assertThat(Tables.fingerprints(pg, target, List.of("reservations", "inventory")))
        .isEqualTo(now);
  }

  @Test
  void selected_tables_restore_data_only_with_truncate_and_schema_with_data() throws Exception {
    String target = fleet.target("order_db");
    Map<String, String> dumped = Tables.fingerprints(pg, target, ORDER_TABLES);
    Artifact artifact = backup(target);
    pg.execute(
        target,
        "UPDATE order_items SET quantity = 99 WHERE id < 500; DELETE FROM orders WHERE id > 2900"
            + " AND id NOT IN (SELECT order_id FROM order_items);"
            + " DROP TABLE outbox_events CASCADE");

    ResultEvent notEmpty =
        run(
            target,
            new RestoreParams(
                artifact.uri(), Mode.TABLES, null, List.of("order_items"), true, false, null));
    ResultEvent dataOnly =
        run(
            target,
            new RestoreParams(
                artifact.uri(),
                Mode.TABLES,
                null,
                List.of("public.orders", "order_items"),
                true,
                true,
                target));
    ResultEvent schemaAndData =
        run(
            target,
            new RestoreParams(
                artifact.uri(), Mode.TABLES, null, List.of("outbox_events"), false, false, null));

    assertThat(notEmpty.data().error().code()).isEqualTo("RESTORE_CONFLICT");
    assertThat(dataOnly.outcome()).as(dataOnly.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(schemaAndData.outcome()).as(schemaAndData.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Tables.fingerprints(pg, target, ORDER_TABLES)).isEqualTo(dumped);
    assertThat(
            Tables.scalar(
                pg, target, "SELECT count(*) FROM pg_indexes WHERE tablename = 'outbox_events'"))
        .as("primary key and index came back with the table")
        .isEqualTo(2);
    assertThat(
            Tables.scalar(
                pg,
                target,
                "SELECT count(*) FROM information_schema.columns WHERE table_name ="
                    + " 'outbox_events' AND column_default LIKE 'nextval(''outbox_events_id_seq''%'"))
        .as("its owned sequence and default came back too")
        .isEqualTo(1);
  }

  @Test
  void restoring_one_small_table_reads_only_the_toc_and_its_block_of_the_stored_object()
      throws Exception {
    String target = fleet.target("warehouse_db");
    pg.execute(
        target,
        "CREATE TABLE bulk_history AS SELECT i AS id, md5(i::text) || md5((i * 7)::text) AS note"
            + " FROM generate_series(1, 60000) i;"
            + " CREATE TABLE fx_rates (code text PRIMARY KEY, rate numeric);"
            + " INSERT INTO fx_rates SELECT 'C' || i, i / 7.0 FROM generate_series(1, 300) i;"
            + " DO $$ DECLARE owner name := (SELECT tableowner FROM pg_tables"
            + " WHERE tablename = 'inventory'); BEGIN"
            + " EXECUTE format('ALTER TABLE bulk_history OWNER TO %I', owner);"
            + " EXECUTE format('ALTER TABLE fx_rates OWNER TO %I', owner); END $$");
    Map<String, String> dumped = Tables.fingerprints(pg, target, List.of("fx_rates"));
    ResultEvent backup =
        run(
            Commands.of(
                Operation.BACKUP,
                target,
                new BackupParams("custom", 6))); // pg_dump's gzip: the object is the archive
    assertThat(backup.outcome()).as(backup.toString()).isEqualTo(Outcome.SUCCEEDED);
    Artifact artifact = backup.data().artifacts().get(0);
    pg.execute(target, "DROP TABLE fx_rates");

    ResultEvent restore =
        run(
            target,
            new RestoreParams(
                artifact.uri(), Mode.TABLES, null, List.of("fx_rates"), false, false, null));

    assertThat(restore.outcome()).as(restore.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(Tables.fingerprints(pg, target, List.of("fx_rates"))).isEqualTo(dumped);
    long read = ((Number) restore.data().statistics().get("bytesRead")).longValue();
    assertThat(read).as("bytes read of %d", artifact.bytes()).isLessThan(artifact.bytes() / 10);
    pg.execute(target, "DROP TABLE bulk_history");
  }

  private static RestoreParams params(String uri, Mode mode, String database) {
    return new RestoreParams(uri, mode, database, null, null, null, null);
  }

  private static Artifact backup(String target) {
    ResultEvent end = run(Commands.backup(target));
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    return end.data().artifacts().get(0);
  }

  private static ResultEvent run(String target, RestoreParams params) {
    return run(Commands.of(Operation.RESTORE, target, params));
  }

  private static ResultEvent run(Commands.Builder builder) {
    Command command = builder.source("urn:test:restore").build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
