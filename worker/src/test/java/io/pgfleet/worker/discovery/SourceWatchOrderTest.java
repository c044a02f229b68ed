package io.pgfleet.worker.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.DiscoverySource;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.target.LiveTargets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The order in which one refresh changes what other threads read: a reader that sees a target leave
 * the served list also sees its retirement, and one that sees it served again no longer sees it
 * retired (the worker's status and DiscoveryTest read both while discovery runs).
 */
class SourceWatchOrderTest {
  private final LocalPostgres postgres = LocalStack.shared().postgres();
  private final String database = "w" + UUID.randomUUID().toString().substring(0, 8) + "_order";
  private final LiveTargets targets = new LiveTargets(Map.of());
  private final List<String> seen = new ArrayList<>();

  /** The retired list, noting whether the target was served when each change was made. */
  private final Map<String, Retirement> retired =
      new ConcurrentHashMap<>() {
        @Override
        public Retirement put(String name, Retirement retirement) {
          seen.add("retired while " + served(name));
          return super.put(name, retirement);
        }

        @Override
        public Retirement remove(Object name) {
          seen.add("forgotten while " + served((String) name));
          return super.remove(name);
        }
      };

  @Test
  void a_target_is_retired_before_it_leaves_the_served_list_and_forgotten_before_it_is_back() {
    postgres.createDatabase(database, postgres.superuser());
    SourceWatch watch =
        new SourceWatch(
            source(),
            targets,
            topics -> {},
            retired,
            new WorkerMetrics().discovery(),
            Clock.systemUTC());
    watch.refresh();
    assertThat(targets.names()).containsExactly(database);

    postgres.execute("postgres", "DROP DATABASE " + database + " WITH (FORCE)");
    watch.refresh();
    assertThat(targets.names()).isEmpty();
    assertThat(retired).containsKey(database);

    postgres.createDatabase(database, postgres.superuser());
    watch.refresh();
    assertThat(targets.names()).containsExactly(database);
    assertThat(retired).isEmpty();

    assertThat(seen)
        .containsExactly(
            "forgotten while not served", "retired while served", "forgotten while not served");
    postgres.execute("postgres", "DROP DATABASE " + database + " WITH (FORCE)");
  }

  private String served(String name) {
    return targets.names().contains(name) ? "served" : "not served";
  }

  private DiscoverySource source() {
    return new DiscoverySource(
        "local",
        TargetConfig.builder("local")
            .host(postgres.host())
            .port(postgres.port())
            .database("postgres")
            .user(postgres.superuser())
            .password(Secret.literal(postgres.superuserPassword()))
            .sslMode("disable")
            .build(),
        List.of(database),
        List.of(),
        Duration.ofMinutes(1));
  }
}
