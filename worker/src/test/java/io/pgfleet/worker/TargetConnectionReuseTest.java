package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.target.SessionLimits;
import io.pgfleet.worker.target.TargetDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A target's connections are reused from run to run, and nothing leaks from one run to the next.
 */
class TargetConnectionReuseTest {
  private static final SessionLimits VACUUM =
      new SessionLimits(Duration.ofHours(6), Duration.ofSeconds(5));
  private static final SessionLimits ANALYZE =
      new SessionLimits(Duration.ofHours(1), Duration.ofSeconds(2));

  private static Fleet fleet;
  private static TargetSessions orders;
  private TargetDatabase target;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db");
    orders = new TargetSessions(fleet, "order_db");
  }

  @AfterAll
  static void stopFleet() throws Exception {
    orders.close();
    fleet.close();
  }

  @BeforeEach
  void openTarget() {
    String password = fleet.databases.get("order_db").password();
    target = new TargetDatabase(fleet.targetConfig("order_db", Secret.literal(password)));
  }

  @AfterEach
  void closeTarget() {
    target.close();
  }

  @Test
  void the_next_run_gets_the_same_backend_with_its_own_name_and_timeouts_and_nothing_else()
      throws Exception {
    Connection first = target.session("vacuum", VACUUM);
    int pid = pid(first);
    assertThat(setting(first, "application_name")).isEqualTo("pgfleet-vacuum");
    assertThat(setting(first, "statement_timeout")).isEqualTo("6h");
    try (Statement st = first.createStatement()) {
      st.execute(
          "SET work_mem = '77MB'; SET search_path = pg_catalog;"
              + " CREATE TEMP TABLE leftover (x int); SELECT pg_advisory_lock(4242); LISTEN spill;"
              + " SET ROLE NONE");
    }
    target.release(first);

    Connection second = target.session("analyze", ANALYZE);
    try {
      assertThat(pid(second)).as("the same backend, reused").isEqualTo(pid);
      assertThat(setting(second, "application_name")).isEqualTo("pgfleet-analyze");
      assertThat(setting(second, "statement_timeout")).isEqualTo("1h");
      assertThat(setting(second, "lock_timeout")).isEqualTo("2s");
      assertThat(setting(second, "work_mem")).isEqualTo(fresh("SHOW work_mem"));
      assertThat(setting(second, "search_path")).isEqualTo(fresh("SHOW search_path"));
      assertThat(text(second, "SELECT to_regclass('pg_temp.leftover')::text")).isNull();
      assertThat(text(second, "SELECT count(*)::text FROM pg_listening_channels()")).isEqualTo("0");
      assertThat(
              orders.number(
                  "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = " + pid))
          .isZero();
    } finally {
      target.release(second);
    }
  }

  @Test
  void a_connection_given_back_inside_a_transaction_is_closed_not_kept() throws Exception {
    Connection c = target.session("vacuum", VACUUM);
    int pid = pid(c);
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      st.execute("SELECT 1");
    }
    target.release(c);

    assertThat(target.idleConnections()).isZero();
    Connection next = target.session("vacuum", VACUUM);
    assertThat(pid(next)).isNotEqualTo(pid);
    target.release(next);
  }

  @Test
  void a_kept_connection_whose_backend_died_is_replaced_by_a_new_one() throws Exception {
    Connection c = target.session("analyze", ANALYZE);
    int pid = pid(c);
    target.release(c);
    assertThat(target.idleConnections()).isEqualTo(1);
    try (Connection su = fleet.stack.postgres().connect("postgres");
        Statement st = su.createStatement()) {
      st.execute("SELECT pg_terminate_backend(" + pid + ")");
    }
    Thread.sleep(200);

    Connection next = target.session("analyze", ANALYZE);
    assertThat(pid(next)).isNotEqualTo(pid);
    assertThat(setting(next, "lock_timeout")).isEqualTo("2s");
    target.release(next);
  }

  @Test
  void at_most_two_idle_connections_are_kept_per_target_and_closing_ends_them() throws Exception {
    Connection a = target.session("analyze", ANALYZE);
    Connection b = target.session("analyze", ANALYZE);
    Connection c = target.session("analyze", ANALYZE);
    target.release(a);
    target.release(b);
    target.release(c);
    assertThat(target.idleConnections()).isEqualTo(2);
    assertThat(c.isClosed()).isTrue();

    target.close();
    assertThat(a.isClosed()).isTrue();
    assertThat(b.isClosed()).isTrue();
  }

  private static int pid(Connection c) throws SQLException {
    return Integer.parseInt(text(c, "SELECT pg_backend_pid()::text"));
  }

  private static String setting(Connection c, String name) throws SQLException {
    return text(c, "SHOW " + name);
  }

  private String fresh(String sql) throws Exception {
    try (Connection c = target.connect("test")) {
      return text(c, sql);
    }
  }

  private static String text(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
