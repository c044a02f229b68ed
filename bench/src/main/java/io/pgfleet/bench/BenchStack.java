package io.pgfleet.bench;

import io.pgfleet.commands.wire.Topics;
import io.pgfleet.local.LocalKafka;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalS3;
import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.SecuritySettings;
import io.pgfleet.worker.config.SignaturePolicy;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.StorageTimeouts;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * The local stack as benchmarks need it: Kafka, S3 and a PostgreSQL cluster that, unlike the test
 * clusters, keeps {@code fsync} and {@code synchronous_commit} on, so that commits cost what they
 * cost on a real server.
 */
public final class BenchStack implements AutoCloseable {
  static final String BUCKET = "pgfleet-bench";

  /**
   * {@code PGFLEET_BENCH_STORE=https}: the workers and the baselines' uploads use an S3Proxy that
   * speaks only HTTPS (a self-signed certificate, trusted through {@code storage.caFile} and the
   * aws CLI's {@code AWS_CA_BUNDLE}), as a production store does; the SDK then sends each body
   * unsigned under TLS. Unset: plain HTTP, where the SDK signs every body's sha256.
   */
  public static final String STORE = "PGFLEET_BENCH_STORE";

  static final String LEDGER = "pgfleet_bench_ledger";

  private final LocalStack servers;
  private final LocalPostgres postgres;
  private final LocalKafka kafka;
  private final LocalS3 s3;
  private final LocalS3 secureS3;
  private final Topics topics = new Topics("bench");

  private BenchStack(Path dir) {
    servers =
        LocalStack.start(
            dir.resolve("servers"),
            LocalPostgres.builder()
                .setting("fsync", "on")
                .setting("synchronous_commit", "on")
                .setting("max_wal_size", "4GB"));
    postgres = servers.postgres();
    kafka = servers.kafka();
    secureS3 =
        "https".equals(System.getenv(STORE)) ? LocalS3.startSecure(dir.resolve("s3-https")) : null;
    s3 = secureS3 != null ? secureS3 : servers.s3();
    try {
      s3.createBucket(BUCKET);
      postgres.createDatabase(LEDGER, postgres.superuser());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  public static BenchStack start(Path dir) {
    return new BenchStack(dir);
  }

  /**
   * A scenario, run on the stack it is given, which may hold what scenarios run on it before left:
   * databases, topics, stored objects.
   */
  @FunctionalInterface
  public interface Scenario {
    Report run(BenchStack stack) throws Exception;
  }

  /** Runs {@code scenario} on a fresh stack under {@code dir}, closed when it returns. */
  public static Report fresh(Path dir, Scenario scenario) throws Exception {
    try (BenchStack stack = start(dir)) {
      return scenario.run(stack);
    }
  }

  public LocalPostgres postgres() {
    return postgres;
  }

  /** Which store the stack's workers and uploads use, for a report's machine line. */
  public String storeDescription() {
    return secureS3 != null
        ? "S3Proxy over HTTPS (" + STORE + "=https: bodies unsigned under TLS)"
        : "S3Proxy over plain HTTP (bodies signed)";
  }

  /** The object store, for baselines that upload with their own client. */
  public LocalS3 s3() {
    return s3;
  }

  /** The bucket the stack's workers store their artifacts in. */
  public String bucket() {
    return BUCKET;
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public Topics topics() {
    return topics;
  }

  /** A worker config serving {@code targets} on this stack, with default run settings. */
  public WorkerConfig workerConfig(Map<String, TargetConfig> targets) {
    return workerConfig(targets, RunSettings.defaults());
  }

  /** A worker config serving {@code targets} on this stack, with the given run settings. */
  public WorkerConfig workerConfig(Map<String, TargetConfig> targets, RunSettings runs) {
    return new WorkerConfig(
        "bench-worker",
        new KafkaSettings(kafka.bootstrapServers(), topics, "bench-workers", Map.of()),
        new LedgerSettings(
            postgres.jdbcUrl(LEDGER),
            postgres.superuser(),
            Secret.literal(postgres.superuserPassword()),
            Math.max(4, LedgerSettings.poolSizeFor(runs.maxConcurrentRuns()))),
        new StorageSettings(
            s3.endpoint(),
            s3.region(),
            BUCKET,
            "bench",
            true,
            Secret.literal(s3.accessKey()),
            Secret.literal(s3.secretKey()),
            StorageSettings.DEFAULT_PART_SIZE,
            0,
            StorageTimeouts.DEFAULTS,
            s3.certificate()),
        runs,
        // Benchmarks measure speed on a private local stack: no signatures.
        new SecuritySettings(Map.of(), SignaturePolicy.NONE, Duration.ofHours(1)),
        targets);
  }

  /** This stack's S3 bucket, as a worker's storage section names it. */
  public StorageSettings storage() {
    return new StorageSettings(
        s3.endpoint(),
        s3.region(),
        BUCKET,
        "bench",
        true,
        Secret.literal(s3.accessKey()),
        Secret.literal(s3.secretKey()),
        StorageSettings.DEFAULT_PART_SIZE,
        0,
        StorageTimeouts.DEFAULTS,
        s3.certificate());
  }

  /** A target on this stack's PostgreSQL, reached as {@code user}. */
  public TargetConfig.Builder target(String database, String user, String password) {
    return TargetConfig.builder(database)
        .host(postgres.host())
        .port(postgres.port())
        .user(user)
        .password(Secret.literal(password))
        .sslMode("disable");
  }

  /** The PostgreSQL server's version, for the machine line. */
  public String serverVersion() throws SQLException {
    try (Connection c = postgres.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  public void close() {
    try {
      if (secureS3 != null) {
        secureS3.close();
      }
      servers.close();
    } catch (RuntimeException e) {
      System.err.println("closing the bench stack failed: " + e.getMessage());
    }
  }
}
