package io.pgfleet.worker.procedure.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.archive.DumpSession;
import io.pgfleet.worker.archive.RowHash;
import io.pgfleet.worker.archive.TableDigest;
import io.pgfleet.worker.config.ServerLogin;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.target.PgTools;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A table read back in page ranges on several connections hashes exactly as pg_dump's whole-table
 * read of it, the hash the backup's manifest holds; a read that cannot lock at once or fails is
 * left to pg_dump rather than waiting or failing the drill.
 */
class SplitTableReadTest {
  private static final String DB = "split_read_test";
  private static LocalPostgres pg;
  private static ServerLogin login;

  @BeforeAll
  static void createTable() {
    pg = LocalStack.shared().postgres();
    pg.execute("postgres", "DROP DATABASE IF EXISTS " + DB);
    pg.execute("postgres", "CREATE DATABASE " + DB + " ENCODING 'UTF8' TEMPLATE template0");
    // settings a JDBC or pg_dump session would inherit: COPY must not depend on them
    pg.execute(
        "postgres",
        "ALTER DATABASE "
            + DB
            + " SET timezone = 'America/New_York'; ALTER DATABASE "
            + DB
            + " SET intervalstyle = 'iso_8601'; ALTER DATABASE "
            + DB
            + " SET extra_float_digits = 0; ALTER DATABASE "
            + DB
            + " SET bytea_output = 'escape'; ALTER DATABASE "
            + DB
            + " SET datestyle = 'SQL, DMY'");
    pg.execute(
        DB,
        "CREATE TABLE odd (id bigint PRIMARY KEY, note text, blob bytea, at timestamptz,"
            + " f float8, span interval, amount numeric, doc jsonb, tags text[], gone int,"
            + " doubled bigint GENERATED ALWAYS AS (id * 2) STORED);"
            + " INSERT INTO odd (id, note, blob, at, f, span, amount, doc, tags, gone)"
            + " SELECT i,"
            + "  CASE WHEN i % 7 = 0 THEN NULL WHEN i % 13 = 0 THEN E'\\\\.'"
            + "   ELSE 'row ' || i || E'\\ttab\\nline\\\\slash \\r' || chr(233) || chr(128512)"
            + "   || repeat('x', i % 50) END,"
            + "  CASE WHEN i % 3 = 0 THEN NULL ELSE decode(md5(i::text), 'hex') END,"
            + "  timestamptz '2024-03-10 01:30:00+00' + i * interval '37 minutes',"
            + "  1.0 / i, make_interval(days => i % 40, secs => i / 7.0), i / 3.0,"
            + "  jsonb_build_object('k', i, 's', E'q\"\\\\'), ARRAY['a b', NULL, E'\\t'], i"
            + " FROM generate_series(1, 30000) i;"
            + " ALTER TABLE odd DROP COLUMN gone;"
            + " UPDATE odd SET note = coalesce(note, '') || ' moved' WHERE id % 5 = 0;"
            + " DELETE FROM odd WHERE id % 11 = 0;");
    login =
        new ServerLogin(
            pg.host(),
            pg.port(),
            pg.superuser(),
            Secret.literal(pg.superuserPassword()),
            "disable",
            null);
  }

  @AfterAll
  static void dropDatabase() {
    pg.execute("postgres", "DROP DATABASE IF EXISTS " + DB);
  }

  @Test
  void a_table_read_in_page_ranges_hashes_exactly_as_pg_dumps_whole_table() throws Exception {
    TableDigest.Content whole = pgDumpOf("odd");
    assertThat(whole.rows()).isEqualTo(30000 - 30000 / 11);

    for (int parts : List.of(1, 2, 3, 7)) {
      assertThat(split("odd", parts)).as(parts + " parts").contains(whole);
    }
  }

  @Test
  void one_changed_value_changes_the_split_reads_hash_but_not_its_rows_or_bytes() throws Exception {
    pg.execute(
        DB,
        "CREATE TABLE one AS SELECT i AS id, 'value ' || i AS v FROM generate_series(1, 20000) i");
    TableDigest.Content before = pgDumpOf("one");
    assertThat(split("one", 3)).contains(before);

    pg.execute(DB, "UPDATE one SET v = 'value 1235' WHERE id = 1234"); // one digit

    TableDigest.Content after = split("one", 3).orElseThrow();
    assertThat(after.rows()).isEqualTo(before.rows());
    assertThat(after.bytes()).isEqualTo(before.bytes());
    assertThat(after.hash()).isNotEqualTo(before.hash());
    assertThat(after).isEqualTo(pgDumpOf("one"));
  }

  @Test
  void what_is_not_an_ordinary_table_is_left_to_pg_dump() throws Exception {
    pg.execute(DB, "CREATE TABLE IF NOT EXISTS parted (id int) PARTITION BY RANGE (id)");

    assertThat(split("parted", 2)).isEmpty();
    assertThat(split("no_such_table", 2)).isEmpty();
  }

  @Test
  void a_part_fails_the_read_at_once_instead_of_queueing_behind_an_exclusive_lock_request()
      throws Exception {
    pg.execute(
        DB,
        "CREATE TABLE queued AS SELECT i, repeat('q', 200) AS v FROM generate_series(1, 2000) i");
    ExecutorService threads = Executors.newFixedThreadPool(2);
    AtomicInteger opened = new AtomicInteger();
    AtomicReference<Future<?>> exclusive = new AtomicReference<>();
    try (Connection alter = pg.connect(DB)) {
      SplitTableRead.Connections connections =
          () -> {
            if (opened.incrementAndGet() == 2) { // the lead holds its lock: queue an exclusive one
              exclusive.set(
                  threads.submit(
                      () -> {
                        alter.setAutoCommit(false);
                        alter
                            .createStatement()
                            .execute("LOCK TABLE queued IN ACCESS EXCLUSIVE MODE");
                        alter.commit();
                        return null;
                      }));
              awaitWaitingExclusiveLock("queued");
            }
            return ServerAdmin.open(login, DB, "split-read-test");
          };
      Future<Optional<SplitTableRead.Read>> read =
          threads.submit(
              () ->
                  SplitTableRead.read(
                      connections, "public", "queued", RowHash.CURRENT, 2, 1, new Cancellation()));

      ExecutionException thrown = null;
      try {
        read.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        thrown = e;
      }

      assertThat(thrown).isNotNull();
      assertThat(thrown.getCause())
          .isInstanceOf(ProcedureFailure.class)
          .hasMessageContaining("public.queued");
      assertThat(((SQLException) thrown.getCause().getCause()).getSQLState()).isEqualTo("55P03");
      exclusive.get().get(30, TimeUnit.SECONDS); // granted once the read let go of the table
    } finally {
      pg.execute(
          DB,
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
              + " AND query LIKE 'LOCK TABLE queued%' AND state = 'active'");
      threads.shutdownNow();
    }
  }

  @Test
  void a_table_whose_split_read_fails_after_the_restore_is_read_by_pg_dump_instead()
      throws Exception {
    pg.execute(
        DB, "CREATE TABLE fallback AS SELECT i, 'row ' || i AS v FROM generate_series(1, 5000) i");
    Manifest.TableCount table =
        new Manifest.TableCount("public", "fallback", 5000, 1L << 30, null, null);
    LargeTableReads large =
        new LargeTableReads(
            () -> {
              throw new ProcedureFailure(ErrorCode.TARGET_UNREACHABLE, "connection refused");
            },
            "UTF8",
            RowHash.CURRENT,
            2,
            1,
            1,
            new AtomicInteger(),
            serverMajor());
    Map<String, TableDigest.Content> read;
    try (ReadBackWhileRestoring readBack =
        new ReadBackWhileRestoring(
            pgDump(),
            login.libpqEnvironment(DB, "split-read-test"),
            large,
            TestManifests.custom(table),
            new Cancellation())) {
      read = readBack.finish(new Cancellation());
    }

    assertThat(read).containsEntry("public.fallback", pgDumpOf("fallback"));
    assertThat(large.tablesReadInParts()).isZero();
  }

  @Test
  void a_table_is_left_to_pg_dump_without_connecting_before_14_or_when_read_in_one_part()
      throws Exception {
    Manifest.TableCount table = new Manifest.TableCount("public", "odd", 1, 1L << 30, null, null);
    AtomicInteger opened = new AtomicInteger();
    SplitTableRead.Connections refused =
        () -> {
          opened.incrementAndGet();
          throw new ProcedureFailure(ErrorCode.TARGET_UNREACHABLE, "connection refused");
        };

    assertThat(
            new LargeTableReads(refused, "UTF8", RowHash.CURRENT, 2, 1, 1, new AtomicInteger(), 13)
                .large(table))
        .isFalse();
    LargeTableReads oneJob =
        new LargeTableReads(refused, "UTF8", RowHash.CURRENT, 1, 1, 1, new AtomicInteger(), 14);
    assertThat(oneJob.large(table)).isTrue();
    assertThat(oneJob.read(table, false, new Cancellation())).isEmpty();
    assertThat(opened).hasValue(0);
  }

  @Test
  void a_table_too_small_for_two_parts_is_left_to_pg_dump() throws Exception {
    Manifest.TableCount table = new Manifest.TableCount("public", "odd", 1, 1L << 30, null, null);
    AtomicInteger opened = new AtomicInteger();
    LargeTableReads large =
        new LargeTableReads(
            () -> {
              opened.incrementAndGet();
              return ServerAdmin.open(login, DB, "split-read-test");
            },
            "UTF8",
            RowHash.CURRENT,
            4,
            1,
            Long.MAX_VALUE,
            new AtomicInteger(),
            serverMajor());

    assertThat(large.read(table, true, new Cancellation())).isEmpty();
    assertThat(large.tablesReadInParts()).isZero();
    assertThat(opened).hasValue(1); // the lead only, to learn the table's pages
  }

  @Test
  void a_copy_session_makes_every_dump_session_setting_over_the_databases_defaults()
      throws Exception {
    try (Connection c = ServerAdmin.open(login, DB, "split-read-test")) {
      CopySession.begin(c, null);
      for (Map.Entry<String, String> setting : DumpSession.settings().entrySet()) {
        try (var st = c.prepareStatement("SELECT current_setting(?)")) {
          st.setString(1, setting.getKey());
          try (ResultSet rs = st.executeQuery()) {
            rs.next();
            assertThat(rs.getString(1)).as(setting.getKey()).isEqualTo(setting.getValue());
          }
        }
      }
      c.rollback();
    }
  }

  @Test
  void pg_dumps_transaction_timeout_is_turned_off_from_postgresql_17_only() {
    assertThat(PgDumpSettings.forVersion(150004)).noneMatch(s -> s.contains("transaction_timeout"));
    assertThat(PgDumpSettings.forVersion(170000)).contains("SET transaction_timeout = 0");
    assertThat(PgDumpSettings.forVersion(170000)).containsAll(PgDumpSettings.forVersion(160000));
  }

  private static void awaitWaitingExclusiveLock(String table) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    try (Connection c = pg.connect(DB)) {
      while (System.nanoTime() < deadline) {
        try (ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM pg_locks WHERE relation = '"
                        + table
                        + "'::regclass AND mode = 'AccessExclusiveLock' AND NOT granted")) {
          rs.next();
          if (rs.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(20);
      }
    } catch (SQLException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("no ACCESS EXCLUSIVE request queued on " + table);
  }

  @Test
  void page_ranges_cover_every_page_once_with_open_ends() {
    assertThat(PageRanges.of(10, 1)).containsExactly("");
    assertThat(PageRanges.of(10, 3))
        .containsExactly(
            " WHERE ctid < '(3,0)'::tid",
            " WHERE ctid >= '(3,0)'::tid AND ctid < '(6,0)'::tid",
            " WHERE ctid >= '(6,0)'::tid");
  }

  private static Optional<TableDigest.Content> split(String table, int parts) throws Exception {
    Optional<SplitTableRead.Read> read =
        SplitTableRead.read(
            () -> ServerAdmin.open(login, DB, "split-read-test"),
            "public",
            table,
            RowHash.CURRENT,
            parts,
            1,
            new Cancellation());
    read.ifPresent(r -> assertThat(r.parts()).isEqualTo(parts));
    return read.map(SplitTableRead.Read::content);
  }

  private static PgTools.Tool pgDump() throws Exception {
    return PgTools.find("pg_dump", pg.binDir(), serverMajor());
  }

  private static int serverMajor() throws SQLException {
    try (var c = pg.connect(DB);
        var rs = c.createStatement().executeQuery("SHOW server_version_num")) {
      rs.next();
      return Integer.parseInt(rs.getString(1)) / 10000;
    }
  }

  private static TableDigest.Content pgDumpOf(String table) throws Exception {
    Map<String, TableDigest.Content> read =
        RestoredContent.readOne(
            pgDump(),
            login.libpqEnvironment(DB, "split-read-test"),
            "UTF8",
            RowHash.CURRENT,
            List.of("--table=public." + table),
            new Cancellation());
    return read.get("public." + table);
  }
}
