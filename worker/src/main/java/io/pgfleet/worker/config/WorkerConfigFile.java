package io.pgfleet.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.TargetName;
import io.pgfleet.runtime.config.CommonSections.KafkaFile;
import io.pgfleet.runtime.config.CommonSections.LedgerFile;
import io.pgfleet.runtime.config.CommonSections.MetricsFile;
import io.pgfleet.runtime.config.ConfigSchema;
import io.pgfleet.runtime.config.FleetInheritance;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.runtime.config.SecretReferences;
import io.pgfleet.runtime.config.SettingsBinder;
import io.pgfleet.runtime.config.SettingsFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@link WorkerConfig} from a YAML file checked against {@code config/worker.schema.json}
 * (see {@code worker.example.yaml}). Environment variables override single settings, so one file
 * can serve every replica ({@link #ENV_OVERRIDES}). Secrets must resolve at start.
 */
public final class WorkerConfigFile {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(WorkerConfigFile.class);
  static final Map<String, String> ENV_OVERRIDES =
      Map.of(
          "PGFLEET_WORKER_ID", "worker.id",
          "PGFLEET_KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrapServers",
          "PGFLEET_LEDGER_URL", "ledger.url",
          "PGFLEET_STORAGE_ENDPOINT", "storage.endpoint",
          "PGFLEET_STORAGE_BUCKET", "storage.bucket",
          "PGFLEET_METRICS_ENABLED", "metrics.enabled",
          "PGFLEET_METRICS_PORT", "metrics.port");
  private static final Set<String> SECRET_SECTIONS =
      Set.of("ledger", "storage", "encryption", "targets");

  private WorkerConfigFile() {}

  public static WorkerConfig load(Path file) {
    return load(file, System.getenv(), true);
  }

  static WorkerConfig load(Path file, Map<String, String> env) {
    return load(file, env, true);
  }

  /**
   * The config; with {@code resolveSecrets}, every variable must be set and every file readable.
   */
  public static WorkerConfig load(Path file, Map<String, String> env, boolean resolveSecrets) {
    ConfigSchema.prepareInBackground("worker");
    ObjectNode raw = SettingsFile.read(file);
    SettingsFile.override(raw, ENV_OVERRIDES, env);
    JsonNode discovery = raw.remove("discovery");
    List<String> problems = new ArrayList<>();
    ConfigSchema.check(raw, "worker", problems);
    JsonNode root = FleetInheritance.resolve(raw, problems).root();
    if (resolveSecrets) {
      problems.addAll(SecretReferences.unresolved(root, SECRET_SECTIONS, env));
    }
    SettingsBinder b = new SettingsBinder(problems);
    List<DiscoverySource> servers = DiscoverySections.read(discovery, raw, env, resolveSecrets, b);
    boolean serversWritten = discovery != null && !discovery.isEmpty();
    WorkerConfig config = read(root, servers, serversWritten, b);
    SettingsFile.check(file, problems);
    return config;
  }

  /**
   * Only the {@code storage} section of a worker config: what {@code wal-push} and {@code
   * wal-fetch} need, so the file PostgreSQL's archive_command reads may hold nothing else.
   */
  public static StorageSettings storage(Path file) {
    ObjectNode raw = SettingsFile.read(file);
    SettingsFile.override(raw, ENV_OVERRIDES, System.getenv());
    List<String> problems = new ArrayList<>();
    ConfigSchema.problems(raw, "worker").stream()
        .filter(p -> p.startsWith("storage"))
        .forEach(problems::add);
    SettingsBinder b = new SettingsBinder(problems);
    StorageFile storage = b.bind(raw.path("storage"), "storage", StorageFile.class);
    StorageSettings settings = storage == null ? null : b.attempt("storage", storage::settings);
    SettingsFile.check(file, problems);
    return settings;
  }

  private static WorkerConfig read(
      JsonNode root, List<DiscoverySource> discovery, boolean serversWritten, SettingsBinder b) {
    KafkaFile kafkaFile = b.bind(root.path("kafka"), "kafka", KafkaFile.class);
    KafkaSettings kafka =
        kafkaFile == null
            ? null
            : b.attempt("kafka", () -> kafkaFile.settings(KafkaSettings.DEFAULT_GROUP));
    StorageFile storageFile = b.bind(root.path("storage"), "storage", StorageFile.class);
    StorageSettings storage =
        storageFile == null ? null : b.attempt("storage", storageFile::settings);
    RunsFile runsFile = b.bind(root.path("runs"), "runs", RunsFile.class);
    RunSettings runs = b.attempt("runs", (runsFile == null ? RunsFile.NONE : runsFile)::settings);
    int maxRuns =
        runs == null ? RunSettings.defaults().maxConcurrentRuns() : runs.maxConcurrentRuns();
    LedgerFile ledgerFile = b.bind(root.path("ledger"), "ledger", LedgerFile.class);
    LedgerSettings ledger =
        ledgerFile == null
            ? null
            : ledgerFile.settings(Math.max(4, LedgerSettings.poolSizeFor(maxRuns)));
    if (ledger != null && ledger.poolSize() < LedgerSettings.poolSizeFor(maxRuns)) {
      b.problem(
          "ledger.poolSize: "
              + ledger.poolSize()
              + " is too small for runs.maxConcurrent "
              + maxRuns
              + "; set at least "
              + LedgerSettings.poolSizeFor(maxRuns)
              + " (each running run holds a connection for its target lock) or leave it out");
    }
    MetricsFile metricsFile = b.bind(root.path("metrics"), "metrics", MetricsFile.class);
    MetricsSettings metrics =
        metricsFile == null
            ? MetricsSettings.DISABLED
            : b.attempt("metrics", () -> metricsFile.settings(MetricsSettings.DEFAULT_PORT));
    SecurityFile securityFile = b.bind(root.path("security"), "security", SecurityFile.class);
    SecurityFile security =
        securityFile == null ? new SecurityFile(null, null, null, null) : securityFile;
    Map<String, TrustedSigner> signers = new LinkedHashMap<>();
    security
        .signers()
        .forEach(
            (id, s) -> {
              TrustedSigner signer =
                  b.attempt("security.trustedSigners." + id + ".publicKey", () -> s.settings(id));
              if (signer != null) {
                signers.put(id, signer);
              }
            });
    SecuritySettings securitySettings = b.attempt("security", () -> security.settings(signers));
    EncryptionFile encryptionFile =
        b.bind(root.path("encryption"), "encryption", EncryptionFile.class);
    EncryptionKeys encryption =
        encryptionFile == null
            ? EncryptionKeys.NONE
            : b.attempt("encryption", encryptionFile::settings);
    Map<String, TargetConfig> targets = targets(root.path("targets"), b);
    Set<String> configured = new HashSet<>();
    root.path("targets").fieldNames().forEachRemaining(configured::add);
    for (String note : RestoreSources.unknownNames(configured, targets.values(), discovery)) {
      log.warn("{}", note);
    }
    // A discovery server with mistakes is reported at its own path, not as "no target at all".
    if (root.path("targets").isEmpty() && !serversWritten) {
      b.problem("targets: configure at least one target database (or a discovery server)");
    }
    String workerId = root.path("worker").path("id").asText(hostname());
    if (!b.problems().isEmpty()) {
      return null;
    }
    return b.attempt(
        "(file)",
        () ->
            new WorkerConfig(
                workerId,
                kafka,
                ledger,
                storage,
                runs,
                securitySettings,
                targets,
                encryption,
                metrics,
                discovery));
  }

  private static Map<String, TargetConfig> targets(JsonNode node, SettingsBinder b) {
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              String path = "targets." + e.getKey();
              if (!TargetName.isValid(e.getKey())) {
                b.attempt(path, () -> TargetName.require(e.getKey()));
                return;
              }
              TargetFile file = b.bind(e.getValue(), path, TargetFile.class);
              TargetConfig target =
                  file == null ? null : b.attempt(path, () -> file.target(e.getKey(), path, b));
              if (target != null) {
                targets.put(e.getKey(), target);
              }
            });
    return targets;
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "worker";
    }
  }
}
