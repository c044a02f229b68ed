package io.pgfleet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

  private final LocalPostgres postgres = LocalStack.shared().postgres();

  @Test
  void theSuperuserConnectsOverTcpWithItsPassword() throws SQLException {
    try (Connection connection = postgres.connect("postgres")) {
      assertThat(query(connection, "select current_user")).isEqualTo("postgres");
      assertThat(query(connection, "select inet_server_addr()::text")).startsWith("127.0.0.1");
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                    postgres.jdbcUrl("postgres"), postgres.superuser(), "wrong-password"))
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
  }

  @Test
  void aCreatedRoleOwnsItsCreatedDatabaseEvenWithAwkwardNames() throws SQLException {
    postgres.createRole("shop \"owner\"", "it's secret");
    postgres.createDatabase("shop-db", "shop \"owner\"");
    postgres.createRole("shop \"owner\"", "it's secret");
    postgres.createDatabase("shop-db", "shop \"owner\"");

    try (Connection connection =
        DriverManager.getConnection(postgres.jdbcUrl("shop-db"), "shop \"owner\"", "it's secret")) {
      assertThat(
              query(
                  connection,
                  "select pg_get_userbyid(datdba) from pg_database"
                      + " where datname = current_database()"))
          .isEqualTo("shop \"owner\"");
    }
  }

  @Test
  void pgDumpInCustomFormatDumpsADatabase(@TempDir Path out) throws Exception {
    postgres.createRole("dump_owner", "dump-password");
    postgres.createDatabase("dump_source", "dump_owner");
    postgres.execute("dump_source", "create table if not exists runs(id int primary key)");
    postgres.execute("dump_source", "insert into runs values (1), (2) on conflict do nothing");
    Path dump = out.resolve("dump_source.dump");

    ProcessBuilder command =
        new ProcessBuilder(
                "pg_dump",
                "--format=custom",
                "--file=" + dump,
                "--host=" + postgres.host(),
                "--port=" + postgres.port(),
                "--username=" + postgres.superuser(),
                "--no-password",
                "dump_source")
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("pg_dump.log").toFile());
    command.environment().put("PGPASSWORD", postgres.superuserPassword());
    Process pgDump = command.start();
    assertThat(pgDump.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(pgDump.exitValue()).as(() -> readQuietly(out.resolve("pg_dump.log"))).isZero();
    assertThat(new String(Files.readAllBytes(dump), 0, 5, StandardCharsets.US_ASCII))
        .isEqualTo("PGDMP");
  }

  @Test
  void dataAndSettingsSurviveStopAndStart(@TempDir Path dir) throws SQLException {
    try (LocalPostgres own =
        LocalPostgres.builder().setting("work_mem", "7MB").start(dir.resolve("pg"))) {
      own.execute("postgres", "create table kept(v text)");
      own.execute("postgres", "insert into kept values ('before restart')");
      int port = own.port();

      own.stop();
      assertThatThrownBy(() -> own.connect("postgres")).isInstanceOf(SQLException.class);
      own.start();

      assertThat(own.port()).isEqualTo(port);
      try (Connection connection = own.connect("postgres")) {
        assertThat(query(connection, "select v from kept")).isEqualTo("before restart");
        assertThat(query(connection, "show work_mem")).isEqualTo("7MB");
        assertThat(query(connection, "show wal_level")).isEqualTo("replica");
      }
    }
    assertThat(dir.resolve("pg")).doesNotExist();
  }

  @Test
  void theServerBinariesAndDataDirectoryAreExposed() {
    assertThat(postgres.binDir().resolve("pg_ctl")).isExecutable();
    assertThat(postgres.dataDir().resolve("PG_VERSION")).exists();
    assertThat(postgres.serverUserCommand(List.of("pg_ctl", "status")))
        .endsWith("pg_ctl", "status");
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      return "(no output)";
    }
  }
}
