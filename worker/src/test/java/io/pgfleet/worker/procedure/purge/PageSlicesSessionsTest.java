package io.pgfleet.worker.procedure.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.procedure.Cancellation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Extra sessions of a purge by page that cannot connect, or fail hard, do not go unnoticed. */
class PageSlicesSessionsTest {
  private final LocalPostgres postgres = LocalStack.shared().postgres();

  @Test
  void a_session_that_cannot_connect_is_left_out_and_the_others_purge_every_expired_row()
      throws Exception {
    String database = journal();
    try (Connection c = postgres.connect(database)) {
      PurgeTally tally = new PurgeTally();

      slices(c, tally)
          .run(
              () -> {
                throw new SQLException("connection refused");
              });

      assertThat(tally.sessions).isEqualTo(1);
      assertThat(tally.rowsDeleted).isEqualTo(10_000);
      assertThat(count(c, "SELECT count(*) FROM journal WHERE at < now() - interval '7 days'"))
          .isZero();
      assertThat(count(c, "SELECT count(*) FROM journal")).isEqualTo(10_000);
    }
  }

  @Test
  void an_error_in_a_session_stops_the_pass_and_comes_back_from_it() throws Exception {
    String database = journal();
    try (Connection c = postgres.connect(database)) {
      PurgeTally tally = new PurgeTally();

      assertThatThrownBy(
              () ->
                  slices(c, tally)
                      .run(
                          () -> {
                            throw new OutOfMemoryError("no room for a session");
                          }))
          .isInstanceOf(OutOfMemoryError.class)
          .hasMessage("no room for a session");
    }
  }

  private PageSlices slices(Connection c, PurgeTally tally) throws Exception {
    PurgePolicy policy =
        PurgePolicy.builder("by-page")
            .table("journal")
            .timeColumn("at")
            .olderThan(Duration.ofDays(7))
            .batchBy(PurgePolicy.BatchBy.CTID)
            .sessions(3)
            .batchSize(200)
            .pause(Duration.ZERO)
            .build();
    Transactions tx =
        new Transactions(
            c, tally, Duration.ZERO, new Cancellation(), "journal", PurgePolicy.BatchBy.CTID);
    OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minusDays(7);
    return new PageSlices(PurgeTable.resolve(c, policy), tx, tally, cutoff);
  }

  /** A database with a journal of 20,000 rows, every other one expired. */
  private String journal() {
    String database = "slices_" + UUID.randomUUID().toString().substring(0, 8);
    postgres.createDatabase(database, postgres.superuser());
    postgres.execute(
        database,
        "CREATE TABLE journal (id bigint NOT NULL, at timestamptz NOT NULL);"
            + " INSERT INTO journal SELECT i, now() - CASE WHEN i % 2 = 0 THEN interval '1 day'"
            + " ELSE interval '30 days' END FROM generate_series(1, 20000) AS i;"
            + " ANALYZE journal");
    return database;
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
