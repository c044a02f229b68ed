package io.pgfleet.testing;

import io.pgfleet.commands.wire.Topics;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A fleet on the shared local stack for one test class, isolated from the others by its own topic
 * prefix, control database and bucket, with its sample target databases. The worker's and the
 * dispatcher's fixtures build on it; what they start is closed with it, newest first.
 */
public class IsolatedFleet implements AutoCloseable {
  public final LocalStack stack = LocalStack.shared();
  public final String id;
  public final Topics topics;
  public final String bucket;
  public final String ledgerDatabase;
  public final Map<String, SampleDatabase> databases = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** {@code idPrefix} tells one module's fleets from another's in the shared stack. */
  protected IsolatedFleet(String idPrefix, String... samples) {
    id = idPrefix + UUID.randomUUID().toString().substring(0, 8);
    topics = new Topics(id);
    bucket = id + "-artifacts";
    ledgerDatabase = id + "_ledger";
    stack.s3().createBucket(bucket);
    stack.postgres().createDatabase(ledgerDatabase, stack.postgres().superuser());
    for (String sample : samples) {
      databases.put(sample, SampleFleet.create(stack.postgres(), sample, id + "_" + sample));
    }
  }

  /** The target name a sample database is served under in this fleet. */
  public String target(String sample) {
    return databases.get(sample).name();
  }

  public List<String> targets() {
    return databases.values().stream().map(SampleDatabase::name).toList();
  }

  /** The control database, as the local superuser, with a pool of {@code poolSize}. */
  public LedgerSettings ledger(int poolSize) {
    return new LedgerSettings(
        stack.postgres().jdbcUrl(ledgerDatabase),
        stack.postgres().superuser(),
        Secret.literal(stack.postgres().superuserPassword()),
        poolSize);
  }

  /**
   * Kafka for one role of this fleet: group {@code <id>-<role>}, metadata refreshed each second.
   */
  public KafkaSettings kafka(String role) {
    return new KafkaSettings(
        stack.kafka().bootstrapServers(),
        topics,
        id + "-" + role,
        Map.of("metadata.max.age.ms", "1000"));
  }

  public <T extends AutoCloseable> T add(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // already closed by the test
      }
    }
  }
}
