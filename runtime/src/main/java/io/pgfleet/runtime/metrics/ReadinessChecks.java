package io.pgfleet.runtime.metrics;

import io.pgfleet.runtime.KafkaAdmins;
import io.pgfleet.runtime.config.KafkaSettings;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** The readiness checks workers and dispatchers share: Kafka answers, the ledger answers. */
public final class ReadinessChecks {
  /** How often each dependency is asked. */
  public static final Duration INTERVAL = Duration.ofSeconds(3);

  /** How long a dependency may take to answer before it counts as unreachable. */
  public static final Duration TIMEOUT = Duration.ofSeconds(2);

  private ReadinessChecks() {}

  /** An admin client for {@link #kafka(Admin)}; the caller closes it. */
  public static Admin admin(KafkaSettings kafka) {
    return KafkaAdmins.create(kafka, "pgfleet-readiness");
  }

  /** What every pgfleet process needs to be ready: Kafka and the ledger answer. */
  public static Map<String, Readiness.Check> kafkaAndLedger(Admin admin, DataSource ledger) {
    Map<String, Readiness.Check> checks = new LinkedHashMap<>();
    checks.put("kafka", kafka(admin));
    checks.put("ledger", database(ledger));
    return checks;
  }

  /** The cluster describes itself within the timeout. */
  public static Readiness.Check kafka(Admin admin) {
    return () ->
        admin
            .describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
            .clusterId()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A connection of the pool is valid within the timeout. */
  public static Readiness.Check database(DataSource dataSource) {
    return () -> {
      try (Connection c = dataSource.getConnection()) {
        if (!c.isValid((int) TIMEOUT.toSeconds())) {
          throw new IllegalStateException("the database connection is not valid");
        }
      }
    };
  }
}
