package io.pgfleet.worker.procedure.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The dump's snapshot session, against a real server. */
class DumpSnapshotTest {
  private final LocalPostgres postgres = LocalStack.shared().postgres();

  @Test
  void closing_the_snapshot_cancels_a_count_still_running_instead_of_waiting_for_it()
      throws Exception {
    String database = "snapshot_" + UUID.randomUUID().toString().substring(0, 8);
    postgres.createDatabase(database, postgres.superuser());
    postgres.execute(database, "CREATE TABLE held (id int); INSERT INTO held VALUES (1)");
    DumpSnapshot snapshot = DumpSnapshot.export(postgres.connect(database));
    try (Connection holder = postgres.connect(database);
        Statement hold = holder.createStatement()) {
      // the count waits for this lock as long as it is held: a count of a huge table, in effect
      holder.setAutoCommit(false);
      hold.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
      BackgroundRowCount counts = BackgroundRowCount.start(snapshot);
      await("the count waiting on the lock")
          .atMost(Duration.ofSeconds(30))
          .until(() -> waitingCounts(database) == 1);

      CompletableFuture<Void> closed =
          CompletableFuture.runAsync(
              () -> {
                try {
                  snapshot.close();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });

      try {
        closed.get(20, TimeUnit.SECONDS); // with the lock still held
        assertThatThrownBy(counts::await).isInstanceOf(ProcedureFailure.class);
        assertThat(waitingCounts(database)).isZero();
      } finally {
        holder.rollback();
      }
    } finally {
      snapshot.close(); // again, if the test failed before: a snapshot left open holds back VACUUM
      postgres.execute("postgres", "DROP DATABASE " + database + " WITH (FORCE)");
    }
  }

  private long waitingCounts(String database) throws Exception {
    try (Connection c = postgres.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = '"
                    + database
                    + "' AND query LIKE 'SELECT count(*) FROM%' AND wait_event_type = 'Lock'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
