package io.pgfleet.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.Secret;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/** A worker starting against a ledger already at the newest migration does not run Flyway. */
class LedgerSchemaTest {
  private static final Pattern VERSION = Pattern.compile("V(\\d+(?:_\\d+)*)__.*\\.sql");
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
  void the_newest_migration_known_to_the_skip_is_the_newest_file_in_db_ledger()
      throws URISyntaxException, java.io.IOException {
    Path dir = Path.of(LedgerSchema.class.getResource("/db/ledger").toURI());
    List<int[]> versions;
    try (Stream<Path> files = Files.list(dir)) {
      versions =
          files
              .map(f -> VERSION.matcher(f.getFileName().toString()))
              .filter(Matcher::matches)
              .map(m -> Arrays.stream(m.group(1).split("_")).mapToInt(Integer::parseInt).toArray())
              .toList();
    }
    int[] newest = versions.stream().max(Comparator.comparing(v -> v, Arrays::compare)).get();
    String flyway = String.join(".", Arrays.stream(newest).mapToObj(String::valueOf).toList());
    assertThat(LedgerSchema.NEWEST).isEqualTo(flyway);
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
