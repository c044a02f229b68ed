package io.pgfleet.worker.procedure.terminate;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.local.LocalStack;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a pid that is not a listed session turns out to be, asked of the real server. */
class RequestedPidsTest {

  @Test
  void the_runs_own_session_a_server_process_and_a_missing_pid_are_each_named() throws Exception {
    try (Connection c = LocalStack.shared().postgres().connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pg_backend_pid(), (SELECT pid FROM pg_stat_activity"
                    + " WHERE backend_type = 'checkpointer')")) {
      rs.next();
      int own = rs.getInt(1);
      int checkpointer = rs.getInt(2);

      Map<Integer, String> why =
          RequestedPids.whatTheyAre(c, List.of(own, checkpointer, Integer.MAX_VALUE));

      assertThat(why)
          .containsExactly(
              Map.entry(own, "this run's own session"),
              Map.entry(checkpointer, "a server process (checkpointer), not a client session"),
              Map.entry(Integer.MAX_VALUE, "not a process of the server (it may have ended)"));
    }
  }

  @Test
  void another_roles_session_unseen_without_pg_read_all_stats_is_named_as_such() throws Exception {
    var pg = LocalStack.shared().postgres();
    String role = "pid_probe_" + Long.toHexString(System.nanoTime());
    pg.createRole(role, "probe-" + role);
    try (Connection superuser = pg.connect("postgres");
        Connection probe =
            java.sql.DriverManager.getConnection(pg.jdbcUrl("postgres"), role, "probe-" + role)) {
      int hidden;
      try (Statement st = superuser.createStatement();
          ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
        rs.next();
        hidden = rs.getInt(1);
      }

      assertThat(RequestedPids.whatTheyAre(probe, List.of(hidden)))
          .containsExactly(
              Map.entry(
                  hidden,
                  "another role's process, whose type the target's user cannot see (grant it"
                      + " pg_read_all_stats)"));
    } finally {
      pg.execute("postgres", "DROP ROLE IF EXISTS " + role);
    }
  }
}
