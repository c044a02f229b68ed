package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.TerminateBackendsParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.MaintenanceSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runaway sessions cancelled or terminated for real, and everything that must not be hit. */
class TerminateBackendsTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static String orderDb;
  private static String paymentDb;
  private TargetSessions orders;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "payment_db");
    orderDb = fleet.target("order_db");
    paymentDb = fleet.target("payment_db");
    results = fleet.results();
    publisher = fleet.publisher();
    // As recommended for the worker's role: it sees every session's state, so a superuser's
    // runaway query matches the filter, and is then spared because it is a superuser's.
    fleet
        .stack
        .postgres()
        .execute(
            "postgres", "GRANT pg_read_all_stats TO " + fleet.databases.get("order_db").owner());
    MaintenanceSettings allowed = new MaintenanceSettings(false, false, true, Map.of(), Map.of());
    fleet.startWorker(
        fleet.workerConfig(
            "worker-t",
            t -> t.name().equals(orderDb) ? t.toBuilder().maintenance(allowed).build() : t));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @AfterEach
  void closeSessions() {
    if (orders != null) {
      orders.close();
    }
  }

  @Test
  void a_sleeping_query_past_the_limit_is_terminated_and_a_superusers_is_spared() throws Exception {
    orders = new TargetSessions(fleet, "order_db");
    Connection sleeper = orders.asOwner("report-job");
    Connection dba = orders.asSuperuser("report-job");
    int sleeperPid = TargetSessions.pid(sleeper);
    int dbaPid = TargetSessions.pid(dba);
    CompletableFuture<SQLException> sleeping =
        TargetSessions.inBackground(sleeper, "SELECT pg_sleep(120)");
    CompletableFuture<SQLException> dbaSleeping =
        TargetSessions.inBackground(dba, "SELECT pg_sleep(120)");
    awaitActive("report-job", 2);

    ResultEvent end = run(orderDb, terminate("report-job", false, orderDb));

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    SQLException ended = sleeping.get(30, TimeUnit.SECONDS);
    assertThat((Throwable) ended).isNotNull();
    assertThat(ended.getSQLState()).isEqualTo("57P01"); // terminating connection: admin command
    assertThat(end.data().statistics())
        .containsEntry("action", "terminate")
        .containsEntry("signalled", 1)
        .containsEntry("spared", 1)
        .containsEntry("matched", 2)
        .containsEntry("visibleSessions", "all");
    assertThat(sessions(end))
        .anySatisfy(
            s ->
                assertThat(s)
                    .containsEntry("pid", sleeperPid)
                    .containsEntry("result", "terminated"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .containsEntry("pid", dbaPid)
                    .containsEntry("superuser", true)
                    .containsEntry(
                        "result",
                        "spared: a superuser session (set includeSuperuserSessions to hit it)"));
    assertThat(dbaSleeping).isNotDone();
    assertThat(orders.query("SELECT state FROM pg_stat_activity WHERE pid = " + dbaPid))
        .isEqualTo("active");
    orders.execute("SELECT pg_cancel_backend(" + dbaPid + ")");
  }

  @Test
  void cancel_stops_the_query_and_keeps_the_session() throws Exception {
    orders = new TargetSessions(fleet, "order_db");
    Connection sleeper = orders.asOwner("batch-import");
    CompletableFuture<SQLException> sleeping =
        TargetSessions.inBackground(sleeper, "SELECT pg_sleep(120)");
    awaitActive("batch-import", 1);

    TerminateBackendsParams cancel =
        new TerminateBackendsParams("cancel", 1, null, "batch-import", null, null, null, orderDb);
    ResultEvent end = run(orderDb, cancel);

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(sleeping.get(30, TimeUnit.SECONDS).getSQLState()).isEqualTo("57014");
    try (Statement st = sleeper.createStatement()) {
      assertThat(st.execute("SELECT 1")).isTrue();
    }
  }

  @Test
  void an_idle_transaction_is_terminated_by_its_idle_time() throws Exception {
    orders = new TargetSessions(fleet, "order_db");
    Connection idle = orders.asOwner("forgetful-service");
    idle.setAutoCommit(false);
    try (Statement st = idle.createStatement()) {
      st.execute("UPDATE orders SET status = 'held' WHERE id = 2");
    }
    int pid = TargetSessions.pid(idle);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                orders.number(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                            + " 'forgetful-service' AND state = 'idle in transaction'"
                            + " AND state_change < now() - interval '1.5 seconds'")
                    == 1);

    TerminateBackendsParams params =
        new TerminateBackendsParams(
            "terminate", null, 1, null, orders.owner(), null, null, orderDb);
    ResultEvent end = run(orderDb, params);

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(sessions(end))
        .singleElement()
        .satisfies(s -> assertThat(s).containsEntry("pid", pid));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> orders.number("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid) == 0);
  }

  @Test
  void a_dry_run_lists_what_would_be_hit_and_never_the_workers_own_sessions() throws Exception {
    orders = new TargetSessions(fleet, "order_db");
    Connection service = orders.asOwner("order-service");
    Connection otherRun = orders.asOwner("pgfleet-vacuum");
    int servicePid = TargetSessions.pid(service);

    TerminateBackendsParams everyOwnerSession =
        new TerminateBackendsParams(
            "terminate", null, null, null, orders.owner(), null, true, null);
    ResultEvent end = run(orderDb, everyOwnerSession);

    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics()).containsEntry("dryRun", true).containsEntry("wouldHit", 1);
    assertThat(sessions(end))
        .anySatisfy(
            s ->
                assertThat(s)
                    .containsEntry("pid", servicePid)
                    .containsEntry("result", "would be terminated"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .containsEntry("application", "pgfleet-vacuum")
                    .containsEntry(
                        "result",
                        "spared: a pgfleet session (name its application_name to hit it)"))
        .noneSatisfy(s -> assertThat(s).containsEntry("application", "pgfleet-terminate-backends"));
    assertThat(service.isValid(5)).isTrue();
    assertThat(otherRun.isValid(5)).isTrue();
  }

  @Test
  void without_confirm_or_with_the_wrong_target_nothing_is_terminated() throws Exception {
    orders = new TargetSessions(fleet, "order_db");
    Connection sleeper = orders.asOwner("report-job-2");
    CompletableFuture<SQLException> sleeping =
        TargetSessions.inBackground(sleeper, "SELECT pg_sleep(120)");

    ResultEvent missing = run(orderDb, terminate("report-job-2", false, null));
    ResultEvent wrong = run(orderDb, terminate("report-job-2", false, paymentDb));

    for (ResultEvent end : List.of(missing, wrong)) {
      assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(end.data().error().code()).isEqualTo("CONFIRMATION_REQUIRED");
      assertThat(end.data().error().message())
          .contains("repeat the target's name as confirm: \"" + orderDb + "\"");
    }
    assertThat(sleeping).isNotDone();
    orders.execute(
        "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'report-job-2'");
  }

  @Test
  void a_target_that_does_not_allow_it_refuses_even_with_confirm() {
    ResultEvent end = run(paymentDb, terminate("anything", false, paymentDb));

    assertThat(end.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(end.data().error().code()).isEqualTo("OPERATION_NOT_ALLOWED");
    assertThat(end.data().error().message())
        .contains("targets." + paymentDb + ".allow.terminateBackends: true");
  }

  @Test
  void one_session_named_by_pid_is_terminated_and_its_twin_of_the_same_application_is_not()
      throws Exception {
    orders = new TargetSessions(fleet, "order_db");
    Connection chosen = orders.asOwner("twin-service");
    Connection twin = orders.asOwner("twin-service");
    int pid = TargetSessions.pid(chosen);

    ResultEvent dry = run(orderDb, byPid(List.of(pid), null, true, null));
    ResultEvent otherApplication = run(orderDb, byPid(List.of(pid), "other-app", true, null));
    assertThat(chosen.isValid(5)).isTrue();
    ResultEvent end = run(orderDb, byPid(List.of(pid), null, false, orderDb));

    assertThat(dry.outcome()).as(dry.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(dry.data().statistics()).containsEntry("wouldHit", 1);
    assertThat(sessions(dry))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s)
                    .containsEntry("pid", pid)
                    .containsEntry("result", "would be terminated"));
    assertThat(otherApplication.data().statistics()).containsEntry("wouldHit", 0);
    assertThat(sessions(otherApplication))
        .singleElement()
        .satisfies(
            s ->
                assertThat(s)
                    .containsEntry("pid", pid)
                    .containsEntry("result", "not hit: it does not pass the other filters given"));
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics()).containsEntry("signalled", 1).containsEntry("matched", 1);
    assertThat(sessions(end))
        .singleElement()
        .satisfies(
            s -> assertThat(s).containsEntry("pid", pid).containsEntry("result", "terminated"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> orders.number("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid) == 0);
    assertThat(twin.isValid(5)).isTrue();
  }

  @Test
  void a_pid_of_another_database_a_server_process_or_no_process_fails_and_nothing_is_signalled()
      throws Exception {
    orders = new TargetSessions(fleet, "order_db");
    try (TargetSessions payments = new TargetSessions(fleet, "payment_db")) {
      Connection ours = orders.asOwner("pid-check-service");
      Connection theirs = payments.asOwner("pid-check-service");
      int oursPid = TargetSessions.pid(ours);
      int theirsPid = TargetSessions.pid(theirs);
      int checkpointer =
          (int)
              orders.number("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'");
      int noProcess = Integer.MAX_VALUE; // above any Linux pid_max
      List<Integer> pids = List.of(oursPid, theirsPid, checkpointer, noProcess);

      ResultEvent dry = run(orderDb, byPid(pids, null, true, null));
      ResultEvent real = run(orderDb, byPid(pids, null, false, orderDb));

      for (ResultEvent end : List.of(dry, real)) {
        assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.FAILED);
        assertThat(end.data().error().code()).isEqualTo("UNKNOWN_OBJECT");
        assertThat(end.data().error().message())
            .startsWith("nothing was signalled: ")
            .contains("pid " + theirsPid + " is a session of another database")
            .contains("pid " + checkpointer + " is a server process (checkpointer)")
            .contains("pid " + noProcess + " is not a process of the server")
            .doesNotContain("pid " + oursPid + " ");
      }
      assertThat(ours.isValid(5)).isTrue();
      assertThat(theirs.isValid(5)).isTrue();
    }
  }

  private static TerminateBackendsParams byPid(
      List<Integer> pids, String application, boolean dryRun, String confirm) {
    return new TerminateBackendsParams(
        "terminate", null, null, application, null, null, dryRun, confirm, null, pids);
  }

  private static TerminateBackendsParams terminate(
      String application, boolean dryRun, String confirm) {
    return new TerminateBackendsParams(
        "terminate", 1, null, application, null, null, dryRun, confirm);
  }

  /** Waits until {@code sessions} sessions of the application have slept for over 1.5 s. */
  private void awaitActive(String application, int sessions) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                orders.number(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                            + application
                            + "' AND state = 'active' AND query_start < now() - interval '1.5"
                            + " seconds'")
                    == sessions);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> sessions(ResultEvent end) {
    return (List<Map<String, Object>>) end.data().statistics().get("sessions");
  }

  private static ResultEvent run(String target, TerminateBackendsParams params) {
    Command command =
        Commands.of(Operation.TERMINATE_BACKENDS, target, params).source("urn:test:oncall").build();
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
