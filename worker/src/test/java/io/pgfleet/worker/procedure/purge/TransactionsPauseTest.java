package io.pgfleet.worker.procedure.purge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.procedure.Cancellation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The policy's pause follows a batch only when another session waited for one of its locks. */
class TransactionsPauseTest {
  private static final Duration PAUSE = Duration.ofMillis(400);
  private final LocalPostgres postgres = LocalStack.shared().postgres();

  @Test
  void a_batch_no_one_waited_for_is_followed_at_once_and_one_a_session_waited_for_by_the_pause()
      throws Exception {
    String database = "pause_" + UUID.randomUUID().toString().substring(0, 8);
    postgres.createDatabase(database, postgres.superuser());
    postgres.execute(
        database,
        "CREATE TABLE t (id int PRIMARY KEY, v int);"
            + " INSERT INTO t SELECT i, 0 FROM generate_series(1, 10) AS i");
    try (Connection c = postgres.connect(database);
        Connection other = postgres.connect(database)) {
      PurgeTally tally = new PurgeTally();
      Transactions tx =
          new Transactions(c, tally, PAUSE, new Cancellation(), "t", PurgePolicy.BatchBy.KEY);

      tx.statement(conn -> update(conn, "DELETE FROM t WHERE id = 1"));
      long alone = pauseMillis(tx);

      assertThat(tally.pauses).isZero();
      assertThat(alone).isLessThan(PAUSE.toMillis());

      CompletableFuture<Integer> waiter = new CompletableFuture<>();
      tx.statement(
          conn -> {
            update(conn, "DELETE FROM t WHERE id = 2");
            new Thread(() -> completeWith(waiter, other), "waiter").start();
            awaitWaiter(conn);
            return null;
          });
      long behind = pauseMillis(tx);

      assertThat(waiter.get(10, TimeUnit.SECONDS)).as("the waiter's row was deleted").isZero();
      assertThat(tally.pauses).isEqualTo(1);
      assertThat(behind).isGreaterThanOrEqualTo(PAUSE.toMillis());
      assertThat(tx.waiters().query())
          .as("a superuser sees every wait in pg_stat_activity, which spares a copy of pg_locks")
          .contains("pg_stat_activity");

      long again = pauseMillis(tx);

      assertThat(tally.pauses).as("the waited-for batch counts once").isEqualTo(1);
      assertThat(again).as("its pause is slept once").isLessThan(PAUSE.toMillis());
    }
  }

  @Test
  void a_purge_as_the_tables_owner_pauses_for_an_application_session_of_another_unprivileged_role()
      throws Exception {
    String database = "pause_" + UUID.randomUUID().toString().substring(0, 8);
    postgres.createRole("pause_owner", "owner-password");
    postgres.createRole("pause_app", "app-password");
    postgres.createDatabase(database, "pause_owner");
    postgres.execute(
        database,
        "CREATE TABLE t (id int PRIMARY KEY, v int);"
            + " INSERT INTO t SELECT i, 0 FROM generate_series(1, 10) AS i;"
            + " ALTER TABLE t OWNER TO pause_owner;"
            + " GRANT SELECT, UPDATE ON t TO pause_app");
    try (Connection c = connectAs(database, "pause_owner", "owner-password");
        Connection app = connectAs(database, "pause_app", "app-password");
        Connection watcher = postgres.connect(database)) {
      String seesAll =
          "SELECT count(*) FROM pg_roles WHERE rolname = current_user"
              + " AND (rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE'))";
      assertThat(count(c, seesAll))
          .as("the purge's role sees only its own sessions' activity")
          .isZero();
      PurgeTally tally = new PurgeTally();
      Transactions tx =
          new Transactions(c, tally, PAUSE, new Cancellation(), "t", PurgePolicy.BatchBy.KEY);

      CompletableFuture<Integer> waiter = new CompletableFuture<>();
      tx.statement(
          conn -> {
            update(conn, "DELETE FROM t WHERE id = 2");
            new Thread(() -> completeWith(waiter, app), "app").start();
            awaitWaiter(watcher);
            return null;
          });
      long behind = pauseMillis(tx);

      assertThat(waiter.get(10, TimeUnit.SECONDS)).as("the app's row was deleted").isZero();
      assertThat(tally.pauses).isEqualTo(1);
      assertThat(behind).isGreaterThanOrEqualTo(PAUSE.toMillis());
      assertThat(tx.waiters().query()).contains("pg_locks");
    }
  }

  private Connection connectAs(String database, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    return DriverManager.getConnection(postgres.jdbcUrl(database), p);
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long pauseMillis(Transactions tx) throws InterruptedException {
    long start = System.nanoTime();
    tx.pause();
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static int update(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      return st.executeUpdate(sql);
    }
  }

  private static void completeWith(CompletableFuture<Integer> waiter, Connection other) {
    try {
      waiter.complete(update(other, "UPDATE t SET v = 1 WHERE id = 2"));
    } catch (SQLException e) {
      waiter.completeExceptionally(e);
    }
  }

  /** Returns once {@code c} sees a session of its database wait for a lock. */
  private static void awaitWaiter(Connection c) throws SQLException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                      + " AND datname = current_database()")) {
        rs.next();
        if (rs.getInt(1) > 0) {
          return;
        }
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for the waiter", e);
      }
    }
    throw new SQLException("no session came to wait for the transaction's lock");
  }
}
