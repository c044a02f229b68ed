package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.CheckIntegrityParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.RepackParams;
import io.pgfleet.commands.ResetStatementStatsParams;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.TerminateBackendsParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.ResultCodec;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.MaintenanceSettings;
import io.pgfleet.worker.procedure.restore.RestoreProcedure;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runbooks' remaining procedures against the real stack: corruption checks (pg_amcheck), online
 * rebuilds (pg_repack), idle sessions, statement statistics, the health findings on WAL, disk,
 * security and autovacuum, and a backup of one target restored into another.
 *
 * <p>order_db connects as its owner role (as a service's database would); warehouse_db as the
 * superuser, which pg_repack and pg_ls_waldir need.
 */
class RunbookProceduresTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static String orderDb;
  private static String warehouseDb;
  private static String paymentDb;
  private static TargetSessions orders;
  private static TargetSessions warehouse;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "warehouse_db", "payment_db");
    orderDb = fleet.target("order_db");
    warehouseDb = fleet.target("warehouse_db");
    paymentDb = fleet.target("payment_db");
    orders = new TargetSessions(fleet, "order_db");
    warehouse = new TargetSessions(fleet, "warehouse_db");
    results = fleet.results();
    publisher = fleet.publisher();
    MaintenanceSettings allowed =
        new MaintenanceSettings(false, false, true, true, Map.of(), Map.of());
    fleet.startWorker(
        fleet.workerConfig(
            "worker-rb",
            t -> {
              // order_db takes payment_db's backups; warehouse_db keeps the default: none
              var b =
                  t.toBuilder()
                      .maintenance(allowed)
                      .restore(
                          t.name().equals(orderDb)
                              ? fleet.restoreAsSuperuser(false, paymentDb)
                              : fleet.restoreAsSuperuser(false));
              if (t.name().equals(warehouseDb)) {
                b.user(fleet.stack.postgres().superuser())
                    .password(Secret.literal(fleet.stack.postgres().superuserPassword()));
              }
              return b.build();
            }));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    try {
      ResultCodec codec = new ResultCodec();
      assertThat(results.records())
          .allSatisfy(r -> assertThat(codec.violation(r.value())).isEmpty());
    } finally {
      orders.close();
      warehouse.close();
      fleet.close();
    }
  }

  @Test
  void check_integrity_finds_a_corrupt_index_and_goes_on_where_the_last_run_stopped() {
    orders.execute("CREATE EXTENSION amcheck");
    ResultEvent notGranted =
        run(orderDb, Operation.CHECK_INTEGRITY, CheckIntegrityParams.defaults());
    DamagedIndex.grantAmcheck(orders);
    DamagedIndex.create(orders);

    ResultEvent first = run(orderDb, Operation.CHECK_INTEGRITY, new CheckIntegrityParams(0, null));
    ResultEvent second = run(orderDb, Operation.CHECK_INTEGRITY, CheckIntegrityParams.defaults());
    ResultEvent missing =
        run(warehouseDb, Operation.CHECK_INTEGRITY, CheckIntegrityParams.defaults());

    assertThat(first.outcome()).as(first.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(first.data().statistics())
        .containsEntry("tablesChecked", 1)
        .containsEntry("complete", false)
        .containsEntry("resumeAfter", Map.of("schema", "public", "table", "event_idempotency"));
    assertThat(finding(first, "heap-and-btree").status()).isEqualTo(Status.OK);

    assertThat(second.outcome()).as(second.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(second.data().statistics())
        .containsEntry("startedAfter", "public.event_idempotency")
        .containsEntry("tablesChecked", 5)
        .containsEntry("complete", true)
        .containsEntry("status", "critical")
        .doesNotContainKey("resumeAfter");
    Finding corrupt = finding(second, "heap-and-btree");
    assertThat(corrupt.status()).isEqualTo(Status.CRITICAL);
    assertThat(corrupt.items())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i).containsEntry("table", "public.zz_damaged");
              assertThat((String) i.get("relation")).contains("zz_damaged_i");
              assertThat((String) i.get("detail")).contains("item order invariant violated");
            });
    assertThat(finding(second, "checksum-failures").status()).isIn(Status.OK, Status.UNKNOWN);

    assertThat(missing.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(missing.data().error().code()).isEqualTo("EXTENSION_MISSING");
    assertThat(missing.data().error().message()).contains("CREATE EXTENSION amcheck");
    // pg_amcheck prints a refused function like corruption: it must not read as corruption
    assertThat(notGranted.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(notGranted.data().error().code()).isEqualTo("PERMISSION_DENIED");
    assertThat(notGranted.data().error().message())
        .contains("grant it EXECUTE on bt_index_check and verify_heapam");
  }

  @Test
  void repack_shrinks_the_tables_the_health_check_found_bloated_and_says_how_to_install_it()
      throws Exception {
    warehouse.execute(
        "CREATE EXTENSION pg_repack;"
            + " ALTER TABLE stock_movements SET (autovacuum_enabled = false);"
            + " DELETE FROM stock_movements WHERE id % 2 = 0");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                warehouse.number(
                        "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'stock_movements'")
                    >= 3000);
    long bytesBefore = warehouse.number("SELECT pg_total_relation_size('stock_movements')");
    ResultEvent health =
        run(warehouseDb, Operation.HEALTH_CHECK, new HealthCheckParams(List.of("dead-tuples")));
    assertThat(finding(health, "dead-tuples").items())
        .anySatisfy(i -> assertThat(i).containsEntry("table", "public.stock_movements"));

    ResultEvent unconfirmed =
        run(warehouseDb, Operation.REPACK, new RepackParams(null, true, false, null));
    ResultEvent dry = run(warehouseDb, Operation.REPACK, new RepackParams(null, true, true, null));
    ResultEvent repacked =
        run(warehouseDb, Operation.REPACK, new RepackParams(null, true, false, warehouseDb));
    ResultEvent noExtension =
        run(orderDb, Operation.REPACK, new RepackParams(List.of("orders"), null, true, null));

    assertThat(unconfirmed.data().error().code()).isEqualTo("CONFIRMATION_REQUIRED");
    assertThat(dry.outcome()).as(dry.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(tables(dry))
        .anySatisfy(
            t ->
                assertThat(t)
                    .containsEntry("table", "public.stock_movements")
                    .containsEntry("result", "would repack"));
    assertThat(repacked.outcome()).as(repacked.toString()).isEqualTo(Outcome.SUCCEEDED);
    Map<String, Object> movements =
        tables(repacked).stream()
            .filter(t -> t.get("table").equals("public.stock_movements"))
            .findFirst()
            .orElseThrow();
    assertThat(movements).containsEntry("result", "repacked");
    assertThat(((Number) movements.get("bytesAfter")).longValue()).isLessThan(bytesBefore);
    assertThat(warehouse.number("SELECT pg_total_relation_size('stock_movements')"))
        .isLessThan(bytesBefore);
    assertThat(warehouse.number("SELECT count(*) FROM stock_movements")).isEqualTo(3000);

    assertThat(noExtension.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(noExtension.data().error().code()).isEqualTo("EXTENSION_MISSING");
    assertThat(noExtension.data().error().message())
        .contains("apt-get install -y postgresql-15-repack")
        .contains("CREATE EXTENSION pg_repack");
  }

  @Test
  void sessions_idle_longer_than_the_limit_are_terminated_and_busy_ones_are_not() throws Exception {
    Connection idle = orders.asOwner("pool-a");
    Connection inTransaction = orders.asOwner("pool-a");
    inTransaction.setAutoCommit(false);
    inTransaction.createStatement().execute("SELECT 1");
    int idlePid = TargetSessions.pid(idle);
    Thread.sleep(2100);
    TerminateBackendsParams filter =
        new TerminateBackendsParams("terminate", null, null, "pool-a", null, null, true, null, 1);

    ResultEvent dry = run(orderDb, Operation.TERMINATE_BACKENDS, filter);
    ResultEvent unconfirmed = run(orderDb, Operation.TERMINATE_BACKENDS, real(filter, null));
    ResultEvent done = run(orderDb, Operation.TERMINATE_BACKENDS, real(filter, orderDb));

    assertThat(dry.data().statistics()).containsEntry("wouldHit", 1).containsEntry("matched", 1);
    assertThat(unconfirmed.data().error().code()).isEqualTo("CONFIRMATION_REQUIRED");
    assertThat(done.outcome()).as(done.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(done.data().statistics()).containsEntry("signalled", 1);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> sessions =
        (List<Map<String, Object>>) done.data().statistics().get("sessions");
    assertThat(sessions)
        .singleElement()
        .satisfies(
            s -> assertThat(s).containsEntry("pid", idlePid).containsEntry("result", "terminated"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                orders.number("SELECT count(*) FROM pg_stat_activity WHERE pid = " + idlePid) == 0);
    assertThat(inTransaction.isValid(2)).isTrue();
    inTransaction.rollback();
  }

  @Test
  void statement_statistics_are_reset_for_the_target_database_only() throws Exception {
    orders.execute(
        "CREATE EXTENSION pg_stat_statements;"
            + " GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO "
            + orders.owner());
    warehouse.number("SELECT count(*) FROM inventory");
    orders.number("SELECT count(*) FROM order_items");
    String otherDatabase =
        "SELECT count(*) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database"
            + " WHERE datname = '"
            + warehouseDb
            + "')";
    await().atMost(Duration.ofSeconds(5)).until(() -> orders.number(otherDatabase) > 0);

    ResultEvent dry =
        run(orderDb, Operation.RESET_STATEMENT_STATS, new ResetStatementStatsParams(true, null));
    ResultEvent unconfirmed =
        run(orderDb, Operation.RESET_STATEMENT_STATS, new ResetStatementStatsParams(null, null));
    ResultEvent reset =
        run(orderDb, Operation.RESET_STATEMENT_STATS, new ResetStatementStatsParams(null, orderDb));
    ResultEvent missing =
        run(
            warehouseDb,
            Operation.RESET_STATEMENT_STATS,
            new ResetStatementStatsParams(null, warehouseDb));

    assertThat(dry.outcome()).as(dry.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(((Number) dry.data().statistics().get("statementsBefore")).longValue()).isPositive();
    assertThat(unconfirmed.data().error().code()).isEqualTo("CONFIRMATION_REQUIRED");
    assertThat(reset.outcome()).as(reset.toString()).isEqualTo(Outcome.SUCCEEDED);
    String ownDatabase =
        "SELECT count(*) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid"
            + " WHERE d.datname = current_database() AND s.query LIKE '%order_items%'";
    assertThat(orders.number(ownDatabase)).isZero();
    assertThat(orders.number(otherDatabase)).isPositive();
    assertThat(missing.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(missing.data().error().code()).isEqualTo("EXTENSION_MISSING");
    assertThat(missing.data().error().message()).contains("shared_preload_libraries");
  }

  @Test
  void health_check_reports_wal_slots_disk_security_and_autovacuum_advice_it_never_applies()
      throws Exception {
    warehouse.execute(
        "CREATE TABLE churn (id int PRIMARY KEY, n int);"
            + " INSERT INTO churn SELECT i, 0 FROM generate_series(1, 10000) i;"
            + " UPDATE churn SET n = n + 1; UPDATE churn SET n = n + 1;"
            + " SELECT pg_create_physical_replication_slot('rb_slot_"
            + fleet.id
            + "', true)");
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  warehouse.number(
                          "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'churn'")
                      >= 20000);
      ResultEvent end = run(warehouseDb, Operation.HEALTH_CHECK, HealthCheckParams.defaults());
      ResultEvent asOwner =
          run(orderDb, Operation.HEALTH_CHECK, new HealthCheckParams(List.of("wal-size")));

      assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
      Finding wal = finding(end, "wal-size");
      assertThat(wal.status()).isEqualTo(Status.OK);
      assertThat(wal.value().longValue()).isPositive();
      assertThat(finding(end, "archiver").message()).startsWith("archive_mode is off");
      assertThat(finding(end, "slot-retained-wal").items())
          .anySatisfy(
              i ->
                  assertThat(i)
                      .containsEntry("slot", "rb_slot_" + fleet.id)
                      .containsKey("retainedWalBytes"));
      Finding disk = finding(end, "disk-space");
      assertThat(disk.value()).isNotNull();
      assertThat(disk.message()).contains("free at").contains("twice the database is");
      Finding security = finding(end, "security");
      assertThat(security.status()).isEqualTo(Status.WARNING);
      assertThat(security.items())
          .anySatisfy(
              i ->
                  assertThat(i)
                      .containsEntry("kind", "public-database-privileges")
                      .containsEntry("object", warehouseDb)
                      .containsEntry(
                          "suggestion",
                          "REVOKE ALL ON DATABASE \"" + warehouseDb + "\" FROM PUBLIC"))
          .anySatisfy(
              i ->
                  // Every login role of the shared cluster is listed; which ones fit in the bounded
                  // item list depends on the other tests' roles, so no role is named here.
                  assertThat(i).containsEntry("kind", "password-never-expires"))
          .anySatisfy(
              i ->
                  assertThat(i)
                      .containsEntry("kind", "public-schema-privileges")
                      .containsEntry("object", "public"));
      Finding advice = finding(end, "autovacuum-tuning");
      assertThat(advice.status()).isEqualTo(Status.WARNING);
      assertThat(advice.items())
          .singleElement()
          .satisfies(
              i ->
                  assertThat(i)
                      .containsEntry("table", "public.churn")
                      .containsEntry(
                          "suggestion",
                          "ALTER TABLE \"public\".\"churn\" SET (autovacuum_vacuum_scale_factor"
                              + " = 0.01, autovacuum_analyze_scale_factor = 0.005)"));
      assertThat(warehouse.query("SELECT reloptions FROM pg_class WHERE relname = 'churn'"))
          .isNull();

      Finding hidden = finding(asOwner, "wal-size");
      assertThat(hidden.status()).isEqualTo(Status.UNKNOWN);
      assertThat(hidden.message()).contains("pg_monitor");
    } finally {
      warehouse.execute("SELECT pg_drop_replication_slot('rb_slot_" + fleet.id + "')");
    }
  }

  @Test
  void a_backup_of_one_target_restores_into_a_new_database_of_another_with_its_own_credentials()
      throws Exception {
    ResultEvent backup = run(paymentDb, Operation.BACKUP, null);
    assertThat(backup.outcome()).as(backup.toString()).isEqualTo(Outcome.SUCCEEDED);
    String staging = fleet.id + "_payments_staging";
    RestoreParams unconfirmed =
        new RestoreParams(
            null, RestoreParams.Mode.NEW_DATABASE, staging, null, null, null, null, paymentDb);
    RestoreParams confirmed =
        new RestoreParams(
            null, RestoreParams.Mode.NEW_DATABASE, staging, null, null, null, orderDb, paymentDb);

    ResultEvent refused = run(orderDb, Operation.RESTORE, unconfirmed);
    ResultEvent copied = run(orderDb, Operation.RESTORE, confirmed);

    Command command = Commands.of(Operation.RESTORE, orderDb, confirmed).build();
    assertThat(new RestoreProcedure(null, null, null).destructive(command, null))
        .as("a copy between targets needs a signature under the default policy")
        .isTrue();
    assertThat(refused.data().error().code()).isEqualTo("CONFIRMATION_REQUIRED");
    assertThat(refused.data().error().message()).contains(paymentDb).contains("signed");
    assertThat(copied.outcome()).as(copied.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(copied.data().statistics())
        .containsEntry("sourceTarget", paymentDb)
        .containsEntry("backupCommandId", backup.data().commandId());
    try (Connection c = fleet.stack.postgres().connect(staging);
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT (SELECT count(*) FROM payments), pg_get_userbyid(datdba)"
                        + " FROM pg_database WHERE datname = current_database()")) {
      rs.next();
      assertThat(rs.getLong(1))
          .isEqualTo(
              new TargetSessions(fleet, "payment_db").number("SELECT count(*) FROM payments"));
      // owned by, and restored as, the destination target's own user
      assertThat(rs.getString(2)).isEqualTo(orders.owner());
    } finally {
      fleet.stack.postgres().execute("postgres", "DROP DATABASE IF EXISTS " + staging);
    }
  }

  @Test
  void a_restore_from_a_source_the_destination_does_not_list_is_refused_before_anything_is_read()
      throws Exception {
    ResultEvent warehouseBackup = run(warehouseDb, Operation.BACKUP, null);
    ResultEvent paymentBackup = run(paymentDb, Operation.BACKUP, null);
    assertThat(warehouseBackup.outcome())
        .as(warehouseBackup.toString())
        .isEqualTo(Outcome.SUCCEEDED);
    assertThat(paymentBackup.outcome()).as(paymentBackup.toString()).isEqualTo(Outcome.SUCCEEDED);
    // the catalog and the manifest still name it: a restore that read anything would fail for that
    deleteObject(warehouseBackup.data().artifacts().get(0).uri());
    String copy = fleet.id + "_unlisted_copy";
    Map<String, String> before = orderFingerprints();

    ResultEvent unlisted =
        confirmedCopy(warehouseDb, orderDb, RestoreParams.Mode.NEW_DATABASE, copy);
    ResultEvent replacing = confirmedCopy(warehouseDb, orderDb, RestoreParams.Mode.REPLACE, null);
    ResultEvent noList =
        confirmedCopy(paymentDb, warehouseDb, RestoreParams.Mode.NEW_DATABASE, copy);

    for (ResultEvent refused : List.of(unlisted, replacing, noList)) {
      assertThat(refused.outcome()).as(refused.toString()).isEqualTo(Outcome.FAILED);
      assertThat(refused.data().error().code()).isEqualTo("OPERATION_NOT_ALLOWED");
      assertThat(refused.data().error().retryable()).isFalse();
    }
    assertThat(unlisted.data().error().message())
        .isEqualTo(
            "target "
                + orderDb
                + " does not take backups of "
                + warehouseDb
                + ": add "
                + warehouseDb
                + " to restore.allowedSources of "
                + orderDb
                + " in the worker config if it should; nothing was read or changed");
    assertThat(noList.data().error().message())
        .contains("does not take backups of " + paymentDb + ": add " + paymentDb);
    assertThat(
            Tables.scalar(
                fleet.stack.postgres(),
                "postgres",
                "SELECT count(*) FROM pg_database WHERE datname = '" + copy + "'"))
        .as("no database was created")
        .isZero();
    assertThat(orderFingerprints()).as("the replace changed nothing").isEqualTo(before);
  }

  /** A restore of {@code source}'s latest backup into {@code target}, confirmed. */
  private static ResultEvent confirmedCopy(
      String source, String target, RestoreParams.Mode mode, String database) {
    return run(
        target,
        Operation.RESTORE,
        new RestoreParams(null, mode, database, null, null, null, target, source));
  }

  private static Map<String, String> orderFingerprints() throws Exception {
    return Tables.fingerprints(fleet.stack.postgres(), orderDb, List.of("orders", "order_items"));
  }

  private static void deleteObject(String uri) {
    java.net.URI u = java.net.URI.create(uri);
    fleet.s3().deleteObject(b -> b.bucket(u.getHost()).key(u.getPath().substring(1)));
  }

  private static TerminateBackendsParams real(TerminateBackendsParams p, String confirm) {
    return new TerminateBackendsParams(
        p.action(),
        p.activeLongerThanSeconds(),
        p.idleInTransactionLongerThanSeconds(),
        p.applicationName(),
        p.user(),
        p.includeSuperuserSessions(),
        false,
        confirm,
        p.idleLongerThanSeconds());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> tables(ResultEvent end) {
    return (List<Map<String, Object>>) end.data().statistics().get("tables");
  }

  private static Finding finding(ResultEvent end, String check) {
    assertThat(end.data().findings()).as(end.toString()).isNotNull();
    return end.data().findings().stream()
        .filter(f -> f.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no finding " + check + " in " + end));
  }

  private static ResultEvent run(String target, Operation operation, OperationParams params) {
    Command command =
        (params == null ? Commands.backup(target) : Commands.of(operation, target, params))
            .source("urn:test:runbooks")
            .build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
