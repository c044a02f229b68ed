package io.pgfleet.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.TargetName;
import io.pgfleet.commands.signing.Ed25519Keys;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.retention.RetentionPolicy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads {@link WorkerConfig} from YAML. Environment variables override single settings, so one file
 * can serve every replica: {@code PGFLEET_WORKER_ID}, {@code PGFLEET_KAFKA_BOOTSTRAP_SERVERS},
 * {@code PGFLEET_LEDGER_URL}, {@code PGFLEET_STORAGE_ENDPOINT}, {@code PGFLEET_STORAGE_BUCKET},
 * {@code PGFLEET_METRICS_ENABLED}, {@code PGFLEET_METRICS_PORT}. See {@code
 * worker/src/main/resources/worker.example.yaml}.
 */
public final class WorkerConfigFile {
  static final Map<String, String> ENV_OVERRIDES =
      Map.of(
          "PGFLEET_WORKER_ID", "worker.id",
          "PGFLEET_KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrapServers",
          "PGFLEET_LEDGER_URL", "ledger.url",
          "PGFLEET_STORAGE_ENDPOINT", "storage.endpoint",
          "PGFLEET_STORAGE_BUCKET", "storage.bucket",
          "PGFLEET_METRICS_ENABLED", "metrics.enabled",
          "PGFLEET_METRICS_PORT", "metrics.port");

  private WorkerConfigFile() {}

  public static WorkerConfig load(Path file) {
    return load(file, System.getenv());
  }

  static WorkerConfig load(Path file, Map<String, String> env) {
    JsonNode root = parse(file);
    ConfigTree tree = tree(env);
    WorkerConfig config = read(root, tree);
    tree.check(file.toString());
    return config;
  }

  /**
   * Only the {@code storage} section of a worker config: what {@code wal-push} and {@code
   * wal-fetch} need, so the file PostgreSQL's archive_command reads may hold nothing else.
   */
  public static StorageSettings storage(Path file) {
    JsonNode root = parse(file);
    ConfigTree tree = tree(System.getenv());
    StorageSettings storage = storage(root, tree);
    tree.check(file.toString());
    return storage;
  }

  private static JsonNode parse(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read worker config " + file + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(file + " is empty or not a YAML mapping");
    }
    return root;
  }

  private static ConfigTree tree(Map<String, String> env) {
    Map<String, String> overrides = new LinkedHashMap<>();
    ENV_OVERRIDES.forEach(
        (variable, path) -> {
          if (env.get(variable) != null) {
            overrides.put(path, env.get(variable));
          }
        });
    return new ConfigTree(overrides);
  }

  private static WorkerConfig read(JsonNode root, ConfigTree t) {
    Topics topics = null;
    try {
      topics = new Topics(t.string(root, "kafka.topicPrefix", Topics.DEFAULT_PREFIX));
    } catch (IllegalArgumentException e) {
      t.problem("kafka.topicPrefix: " + e.getMessage());
    }
    KafkaSettings kafka =
        new KafkaSettings(
            t.string(root, "kafka.bootstrapServers", null),
            topics,
            t.string(root, "kafka.groupId", KafkaSettings.DEFAULT_GROUP),
            t.stringMap(root, "kafka.properties"));
    StorageSettings storage = storage(root, t);
    RunSettings defaults = RunSettings.defaults();
    RunSettings runs =
        new RunSettings(
            t.duration(root, "runs.leaseTtl", defaults.leaseTtl()),
            t.integer(root, "runs.maxConcurrent", defaults.maxConcurrentRuns()),
            t.duration(root, "runs.progressInterval", defaults.progressInterval()),
            t.duration(root, "runs.shutdownGrace", defaults.shutdownGrace()),
            t.integer(root, "runs.tries", defaults.tries()),
            t.duration(root, "runs.retryBackoff", defaults.retryBackoff()),
            t.duration(root, "runs.maxCommandAge", defaults.maxCommandAge()));
    LedgerSettings ledger =
        new LedgerSettings(
            t.string(root, "ledger.url", null),
            t.string(root, "ledger.user", null),
            t.secret(root, "ledger.password", true),
            t.integer(
                root,
                "ledger.poolSize",
                Math.max(4, LedgerSettings.poolSizeFor(runs.maxConcurrentRuns()))));
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    root.path("targets")
        .fields()
        .forEachRemaining(
            e -> {
              if (!TargetName.isValid(e.getKey())) {
                t.problem("targets." + e.getKey() + ": " + invalidName(e.getKey()));
              } else {
                targets.put(e.getKey(), target(e.getKey(), root, t));
              }
            });
    List<DiscoverySource> discovery = DiscoveryFile.read(root, t);
    if (targets.isEmpty() && discovery.isEmpty()) {
      t.problem("targets: configure at least one target database (or a discovery server)");
    }
    int poolNeeded = LedgerSettings.poolSizeFor(runs.maxConcurrentRuns());
    if (ledger.poolSize() < poolNeeded) {
      t.problem(
          "ledger.poolSize: "
              + ledger.poolSize()
              + " is too small for runs.maxConcurrent "
              + runs.maxConcurrentRuns()
              + "; set at least "
              + poolNeeded
              + " (each running run holds a connection for its target lock) or leave it out");
      ledger = new LedgerSettings(ledger.jdbcUrl(), ledger.user(), ledger.password(), poolNeeded);
    }
    String workerId = t.string(root, "worker.id", hostname());
    return new WorkerConfig(
        workerId,
        kafka,
        ledger,
        storage,
        runs,
        security(root, t),
        targets,
        encryption(root, t),
        metrics(root, t),
        discovery);
  }

  private static MetricsSettings metrics(JsonNode root, ConfigTree t) {
    if (!t.bool(root, "metrics.enabled", false)) {
      return MetricsSettings.DISABLED;
    }
    int port = t.integer(root, "metrics.port", MetricsSettings.DEFAULT_PORT);
    if (port < 1 || port > 65535) {
      t.problem("metrics.port: " + port + " is not a TCP port (1-65535)");
      return MetricsSettings.DISABLED;
    }
    return new MetricsSettings(port);
  }

  private static StorageSettings storage(JsonNode root, ConfigTree t) {
    String endpoint = t.optionalString(root, "storage.endpoint");
    int partMiB = t.integer(root, "storage.partSizeMiB", StorageSettings.DEFAULT_PART_SIZE >> 20);
    if (partMiB < 5) {
      t.problem("storage.partSizeMiB: S3 parts are at least 5 MiB");
    }
    return new StorageSettings(
        endpoint == null ? null : URI.create(endpoint),
        t.string(root, "storage.region", "us-east-1"),
        t.string(root, "storage.bucket", null),
        t.string(root, "storage.prefix", "pgfleet"),
        t.bool(root, "storage.pathStyle", endpoint != null),
        t.secret(root, "storage.accessKey", false),
        t.secret(root, "storage.secretKey", false),
        partMiB << 20,
        t.integer(root, "storage.maxKiBPerSecond", 0) * 1024L,
        storageTimeouts(root, t));
  }

  private static StorageTimeouts storageTimeouts(JsonNode root, ConfigTree t) {
    StorageTimeouts d = StorageTimeouts.DEFAULTS;
    try {
      return new StorageTimeouts(
          t.duration(root, "storage.timeouts.connect", d.connect()),
          t.duration(root, "storage.timeouts.read", d.read()),
          t.duration(root, "storage.timeouts.attempt", d.attempt()),
          t.duration(root, "storage.timeouts.call", d.call()));
    } catch (IllegalArgumentException e) {
      t.problem(e.getMessage());
      return d;
    }
  }

  private static SecuritySettings security(JsonNode root, ConfigTree t) {
    SecuritySettings defaults = SecuritySettings.defaults();
    Map<String, TrustedSigner> signers = new LinkedHashMap<>();
    root.path("security")
        .path("trustedSigners")
        .fields()
        .forEachRemaining(
            e -> {
              String p = "security.trustedSigners." + e.getKey() + ".";
              String key = t.string(root, p + "publicKey", null);
              try {
                signers.put(
                    e.getKey(),
                    new TrustedSigner(
                        e.getKey(),
                        key == null ? null : Ed25519Keys.publicKey(key),
                        new HashSet<>(t.list(root, p + "operations", WorkerConfigFile::operation)),
                        t.list(root, p + "targets", s -> s).isEmpty()
                            ? List.of("*")
                            : t.list(root, p + "targets", s -> s)));
              } catch (IllegalArgumentException ex) {
                t.problem(p + "publicKey: " + ex.getMessage());
              }
            });
    return new SecuritySettings(
        signers,
        signaturePolicy(
            t, t.optionalString(root, "security.signaturePolicy"), defaults.signaturePolicy()),
        t.duration(root, "security.maxSignedValidity", defaults.maxSignedValidity()),
        t.duration(root, "security.clockSkew", defaults.clockSkew()));
  }

  private static SignaturePolicy signaturePolicy(
      ConfigTree t, String text, SignaturePolicy fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return SignaturePolicy.valueOf(text.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      t.problem("signaturePolicy: expected all, destructive or none, not '" + text + "'");
      return fallback;
    }
  }

  private static Operation operation(String name) {
    return Operation.fromWireName(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown operation '" + name + "'; known: " + Operation.knownWireNames()));
  }

  private static EncryptionKeys encryption(JsonNode root, ConfigTree t) {
    Map<String, Secret> keys = new LinkedHashMap<>();
    root.path("encryption")
        .path("keys")
        .fieldNames()
        .forEachRemaining(id -> keys.put(id, t.secret(root, "encryption.keys." + id, true)));
    String active = t.optionalString(root, "encryption.activeKeyId");
    EncryptionKeys built = t.build(() -> new EncryptionKeys(active, keys));
    return built == null ? EncryptionKeys.NONE : built;
  }

  private static RestoreSettings restore(String p, JsonNode root, ConfigTree t) {
    RestoreSettings d = RestoreSettings.DEFAULTS;
    return new RestoreSettings(
        t.bool(root, p + "allowOverwrite", d.allowOverwrite()),
        t.bool(root, p + "noOwner", d.noOwner()),
        t.bool(root, p + "noPrivileges", d.noPrivileges()),
        login(p + "admin.", root, t),
        login(p + "scratch.", root, t));
  }

  private static ServerLogin login(String p, JsonNode root, ConfigTree t) {
    if (t.optionalString(root, p + "user") == null) {
      return null;
    }
    String port = t.optionalString(root, p + "port");
    return t.build(
        () ->
            new ServerLogin(
                t.optionalString(root, p + "host"),
                port == null ? null : Integer.valueOf(port),
                t.string(root, p + "user", null),
                t.secret(root, p + "password", true),
                t.optionalString(root, p + "sslMode"),
                t.optionalString(root, p + "maintenanceDatabase")));
  }

  private static PitrSettings pitr(String p, JsonNode root, ConfigTree t) {
    return t.build(
        () ->
            new PitrSettings(
                t.optionalString(root, p + "pgfleetCommand"),
                path(t.optionalString(root, p + "archiveConfig")),
                path(t.optionalString(root, p + "restoreRoot")),
                path(t.optionalString(root, p + "serverBinDir")),
                t.optionalString(root, p + "serverUser"),
                stream(p + "stream.", root, t)));
  }

  private static WalStreamSettings stream(String p, JsonNode root, ConfigTree t) {
    if (root.at("/" + p.replace('.', '/') + "enabled").isMissingNode()) {
      return null;
    }
    return t.build(
        () ->
            new WalStreamSettings(
                t.bool(root, p + "enabled", false),
                t.optionalString(root, p + "slot"),
                t.duration(
                    root, p + "partialInterval", WalStreamSettings.DEFAULT_PARTIAL_INTERVAL)));
  }

  private static BackupSettings backup(String p, JsonNode root, ConfigTree t) {
    return t.build(
        () ->
            new BackupSettings(
                t.integer(root, p + "maxJobs", BackupSettings.DEFAULT_MAX_JOBS),
                path(t.optionalString(root, p + "workDir")),
                (long) t.integer(root, p + "keepFreeMb", 256) << 20));
  }

  private static Path path(String text) {
    return text == null ? null : Path.of(text);
  }

  private static RetentionPolicy retention(String p, JsonNode root, ConfigTree t) {
    if (root.at("/" + p.replace('.', '/') + "retention").isMissingNode()) {
      return null;
    }
    String r = p + "retention.";
    return t.build(
        () ->
            new RetentionPolicy(
                t.integer(root, r + "keepLast", 0),
                t.integer(root, r + "keepDays", 0),
                t.integer(root, r + "daily", 0),
                t.integer(root, r + "weekly", 0),
                t.integer(root, r + "monthly", 0)));
  }

  private static TargetConfig target(String name, JsonNode root, ConfigTree t) {
    String p = "targets." + name + ".";
    var operations = new HashSet<>(t.list(root, p + "operations", WorkerConfigFile::operation));
    String binDir = t.optionalString(root, p + "pgBinDir");
    TargetConfig.Builder target =
        TargetConfig.builder(name)
            .host(t.string(root, p + "host", null))
            .port(t.integer(root, p + "port", 5432))
            .database(t.string(root, p + "database", name))
            .user(t.string(root, p + "user", null))
            .password(t.secret(root, p + "password", true))
            .sslMode(t.string(root, p + "sslMode", "prefer"))
            .operations(operations)
            .pgBinDir(binDir == null ? null : Path.of(binDir))
            .signaturePolicy(
                signaturePolicy(t, t.optionalString(root, p + "signaturePolicy"), null))
            .restore(restore(p + "restore.", root, t))
            .retention(retention(p, root, t))
            .maintenance(MaintenanceConfig.read(root, p, t))
            .purgePolicies(PurgePolicyFile.read(root, name, t))
            .pitr(pitr(p + "pitr.", root, t))
            .backup(backup(p + "backup.", root, t));
    return t.build(target::build);
  }

  private static String invalidName(String name) {
    try {
      TargetName.require(name);
      return "";
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "worker";
    }
  }
}
