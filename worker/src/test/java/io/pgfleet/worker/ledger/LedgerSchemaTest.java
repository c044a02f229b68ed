package io.pgfleet.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.Secret;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker starting against a ledger already at the newest migration does not run Flyway. */
class LedgerSchemaTest {
  private final LocalPostgres postgres = LocalStack.shared().postgres();

  private LedgerSettings freshLedger() {
    String database = "schema_" + UUID.randomUUID().toString().substring(0, 8);
    postgres.createDatabase(database, postgres.superuser());
    return new LedgerSettings(
        postgres.jdbcUrl(database),
        postgres.superuser(),
        Secret.literal(postgres.superuserPassword()),
        2);
  }

  @Test
  void the_newest_migration_known_to_the_skip_is_the_last_one_flyway_applies() throws Exception {
    LedgerSettings settings = freshLedger();
    Ledger.open(settings).close();
    try (var c = postgres.connect(database(settings));
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT version FROM pgfleet.flyway_schema_history WHERE success"
                        + " ORDER BY installed_rank DESC LIMIT 1")) {
      assertThat(rs.next()).isTrue();
      assertThat(LedgerSchema.NEWEST).isEqualTo(rs.getString(1));
    }
  }

  @Test
  void migration_versions_compare_as_numbers_and_read_as_flyway_writes_them() {
    assertThat(
            MigrationFiles.newest(
                List.of(
                    "V9__nine.sql",
                    "V2_13__two.sql",
                    "V10__ten.sql",
                    "V10_1__ten_one.sql",
                    "R__repeatable.sql",
                    "README.md")))
        .isEqualTo("10.1");
    assertThat(MigrationFiles.newest(List.of("V1__a.sql", "V2_4__b.sql"))).isEqualTo("2.4");
  }

  @Test
  void migrations_are_listed_from_a_jar_folder_without_its_subfolders_or_neighbours(
      @TempDir Path dir) throws Exception {
    Path jar = dir.resolve("ledger.jar");
    try (var out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (String name :
          List.of(
              "db/ledger/",
              "db/ledger/V1__first.sql",
              "db/ledger/old/",
              "db/ledger/V3_2__second.sql",
              "db/ledger/old/V9__elsewhere.sql",
              "db/other/V99__neighbour.sql")) {
        out.putNextEntry(new JarEntry(name));
        out.write("SELECT 1;".getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    try (var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      List<String> names = MigrationFiles.in(loader, "db/ledger");
      assertThat(names).containsExactlyInAnyOrder("V1__first.sql", "V3_2__second.sql");
      assertThat(MigrationFiles.newest(names)).isEqualTo("3.2");
    }
  }

  @Test
  void a_fresh_control_database_is_not_up_to_date_and_opening_the_ledger_migrates_it()
      throws Exception {
    LedgerSettings settings = freshLedger();
    try (Ledger ledger = Ledger.open(settings)) {
      assertThat(LedgerSchema.upToDate(ledger.dataSource())).isTrue();
    }
    try (var c = postgres.connect(database(settings));
        var rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM pgfleet.flyway_schema_history WHERE success")) {
      rs.next();
      assertThat(rs.getInt(1)).isGreaterThan(1);
    }
  }

  @Test
  void a_history_without_the_newest_migration_or_with_a_failed_one_is_not_up_to_date()
      throws Exception {
    LedgerSettings settings = freshLedger();
    try (Ledger ledger = Ledger.open(settings)) {
      sql(settings, "UPDATE pgfleet.flyway_schema_history SET success = false WHERE version = '1'");
      assertThat(LedgerSchema.upToDate(ledger.dataSource())).isFalse();
      sql(settings, "UPDATE pgfleet.flyway_schema_history SET success = true WHERE version = '1'");
      assertThat(LedgerSchema.upToDate(ledger.dataSource())).isTrue();
      sql(
          settings,
          "DELETE FROM pgfleet.flyway_schema_history WHERE version = '"
              + LedgerSchema.NEWEST
              + "'");
      assertThat(LedgerSchema.upToDate(ledger.dataSource())).isFalse();
    }
  }

  @Test
  void a_ledger_at_the_newest_migration_opens_without_flyway_and_an_older_one_runs_it()
      throws Exception {
    LedgerSettings settings = freshLedger();
    Ledger.open(settings).close();
    // Flyway's validation would refuse this history (the checksum of an applied migration changed);
    // an up-to-date ledger opens without running Flyway, so it does not look.
    sql(
        settings,
        "UPDATE pgfleet.flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
    Ledger.open(settings).close();
    // Without the newest migration in the history, Flyway runs, validates, and refuses it.
    sql(
        settings,
        "DELETE FROM pgfleet.flyway_schema_history WHERE version = '" + LedgerSchema.NEWEST + "'");
    assertThatThrownBy(() -> Ledger.open(settings).close())
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("checksum");
  }

  private String database(LedgerSettings settings) {
    String url = settings.jdbcUrl();
    String path = url.substring(url.lastIndexOf('/') + 1);
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }

  private void sql(LedgerSettings settings, String statement) throws Exception {
    try (var c = postgres.connect(database(settings))) {
      c.createStatement().execute(statement);
    }
  }
}
