package io.pgfleet.worker.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.DiscoverySource;
import io.pgfleet.worker.config.TargetConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of a server's databases a discovery source serves: pure logic, no server. */
class ServerDatabasesTest {
  @Test
  void the_maintenance_database_and_names_that_cannot_be_targets_are_left_out_and_reported() {
    DiscoverySource source =
        new DiscoverySource(
            "platform",
            TargetConfig.builder("platform")
                .host("db.internal")
                .user("pgfleet")
                .password(Secret.literal("x"))
                .database("postgres")
                .build(),
            null,
            List.of("scratch_*"),
            null);
    ServerDatabases databases = new ServerDatabases(source);

    var targets =
        databases.select(
            List.of("postgres", "order_db", "Billing DB", "scratch_1", "shop.eu", "x".repeat(64)));

    assertThat(targets).containsOnlyKeys("order_db");
    assertThat(targets.get("order_db").database()).isEqualTo("order_db");
    assertThat(targets.get("order_db").host()).isEqualTo("db.internal");
    assertThat(databases.unservable())
        .containsExactlyInAnyOrder("Billing DB", "shop.eu", "x".repeat(64));
  }
}
