package io.pgfleet.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import io.pgfleet.dispatcher.DispatcherSections.Api;
import io.pgfleet.dispatcher.DispatcherSections.Fleet;
import io.pgfleet.dispatcher.DispatcherSections.Policy;
import io.pgfleet.dispatcher.DispatcherSections.Scheduling;
import io.pgfleet.dispatcher.DispatcherSections.Signing;
import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.SchedulingSettings;
import io.pgfleet.runtime.config.CommonSections.KafkaFile;
import io.pgfleet.runtime.config.CommonSections.LedgerFile;
import io.pgfleet.runtime.config.CommonSections.MetricsFile;
import io.pgfleet.runtime.config.ConfigSchema;
import io.pgfleet.runtime.config.FleetInheritance;
import io.pgfleet.runtime.config.SecretReferences;
import io.pgfleet.runtime.config.SettingsBinder;
import io.pgfleet.runtime.config.SettingsFile;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@link DispatcherConfig} from a YAML file checked against {@code
 * config/dispatcher.schema.json} (see {@code dispatcher.example.yaml}); a fleet file's {@code
 * targets} join {@code fleet.targets}. {@link #ENV_OVERRIDES} override single settings.
 */
public final class DispatcherConfigFile {
  static final Map<String, String> ENV_OVERRIDES =
      Map.of(
          "PGFLEET_DISPATCHER_ID", "dispatcher.id",
          "PGFLEET_KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrapServers",
          "PGFLEET_LEDGER_URL", "ledger.url",
          "PGFLEET_HTTP_LISTEN", "http.listen",
          "PGFLEET_METRICS_ENABLED", "metrics.enabled",
          "PGFLEET_METRICS_PORT", "metrics.port");
  private static final Set<String> SECRET_SECTIONS = Set.of("ledger", "api", "signing");

  private DispatcherConfigFile() {}

  public static DispatcherConfig load(Path file) {
    return load(file, System.getenv());
  }

  /** Reads and checks the file: every schedule must pass the command schemas of this build. */
  public static DispatcherConfig load(Path file, Map<String, String> env) {
    ObjectNode raw = SettingsFile.read(file);
    SettingsFile.override(raw, ENV_OVERRIDES, env);
    List<String> problems = new ArrayList<>();
    ConfigSchema.check(raw, "dispatcher", problems);
    JsonNode root = FleetInheritance.resolve(raw, new ArrayList<>()).root();
    problems.addAll(SecretReferences.unresolved(root, SECRET_SECTIONS, env));
    SettingsBinder b = new SettingsBinder(problems);
    DispatcherConfig config = read(root, b);
    SettingsFile.check(file, problems);
    return config;
  }

  /**
   * The schedules of a file, checked for everything but whether this build knows their operations.
   */
  public static List<Schedule> schedules(Path file) {
    ObjectNode raw = SettingsFile.read(file);
    List<String> problems = new ArrayList<>();
    ConfigSchema.check(raw, "dispatcher", problems);
    problems.removeIf(p -> !p.startsWith("schedules"));
    List<Schedule> schedules =
        schedules(raw.path("schedules"), new SettingsBinder(problems), false);
    SettingsFile.check(file, problems);
    return schedules;
  }

  private static DispatcherConfig read(JsonNode root, SettingsBinder b) {
    KafkaFile kafkaFile = b.bind(root.path("kafka"), "kafka", KafkaFile.class);
    String prefix = root.path("kafka").path("topicPrefix").asText("pgfleet");
    var kafka =
        kafkaFile == null
            ? null
            : b.attempt(
                "kafka", () -> kafkaFile.settings(prefix + DispatcherConfig.DEFAULT_GROUP_SUFFIX));
    LedgerFile ledgerFile = b.bind(root.path("ledger"), "ledger", LedgerFile.class);
    var ledger = ledgerFile == null ? null : ledgerFile.settings(8);
    MetricsFile metricsFile = b.bind(root.path("metrics"), "metrics", MetricsFile.class);
    var metrics =
        metricsFile == null
            ? null
            : b.attempt(
                "metrics", () -> metricsFile.settings(DispatcherConfig.DEFAULT_METRICS_PORT));
    InetSocketAddress listen =
        b.attempt(
            "http.listen", () -> address(root.path("http").path("listen").asText("0.0.0.0:8080")));
    Scheduling s = b.bind(root.path("scheduling"), "scheduling", Scheduling.class);
    SchedulingSettings d = SchedulingSettings.defaults();
    SchedulingSettings scheduling =
        s == null
            ? d
            : new SchedulingSettings(
                s.missedHorizon() == null ? d.missedHorizon() : s.missedHorizon(),
                s.tick() == null ? d.tick() : s.tick());
    List<ApiToken> tokens = tokens(b.bind(root.path("api"), "api", Api.class), b);
    FleetSettings fleet = fleet(root, b);
    List<Schedule> schedules = schedules(root.path("schedules"), b, true);
    Signing signing = b.bind(root.path("signing"), "signing", Signing.class);
    CommandSigner signer =
        signing == null
            ? null
            : b.attempt(
                "signing",
                () ->
                    new CommandSigner(
                        signing.signer(), Ed25519Keys.privateKey(signing.privateKey().reveal())));
    String id = root.path("dispatcher").path("id").asText(hostname());
    if (!b.problems().isEmpty()) {
      return null;
    }
    return b.attempt(
        "(file)",
        () ->
            new DispatcherConfig(
                id, kafka, ledger, listen, tokens, fleet, scheduling, schedules, signer, metrics));
  }

  private static List<ApiToken> tokens(Api api, SettingsBinder b) {
    List<ApiToken> tokens = new ArrayList<>();
    for (int i = 0; api != null && api.tokens() != null && i < api.tokens().size(); i++) {
      var file = api.tokens().get(i);
      ApiToken token = b.attempt("api.tokens[" + i + "]", file::settings);
      if (token != null) {
        tokens.add(token);
      }
    }
    if (tokens.stream().map(ApiToken::name).distinct().count() != tokens.size()) {
      b.problem("api.tokens: token names must be unique");
    }
    return tokens;
  }

  /** {@code fleet:}'s policies, and every target of a fleet file with its own or the default. */
  private static FleetSettings fleet(JsonNode root, SettingsBinder b) {
    Fleet f = b.bind(root.path("fleet"), "fleet", Fleet.class);
    Policy own =
        f == null
            ? new Policy(null, null, null)
            : new Policy(f.rpo(), f.warnAfter(), f.verifiedRpo());
    TargetPolicy defaults = b.attempt("fleet", () -> own.settings(TargetPolicy.DEFAULT_RPO));
    TargetPolicy fallback = defaults == null ? TargetPolicy.defaults() : defaults;
    Map<String, TargetPolicy> targets = new LinkedHashMap<>();
    root.path("targets")
        .fields()
        .forEachRemaining(
            e -> {
              TargetPolicyKeys keys =
                  b.bind(e.getValue(), "targets." + e.getKey(), TargetPolicyKeys.class);
              Policy p = keys == null ? null : keys.policy();
              TargetPolicy policy =
                  p == null
                      ? null
                      : b.attempt("targets." + e.getKey(), () -> p.settings(fallback.rpo()));
              targets.put(e.getKey(), policy == null ? fallback : policy);
            });
    if (f != null && f.targets() != null) {
      f.targets()
          .forEach(
              (name, p) -> {
                TargetPolicy policy =
                    b.attempt("fleet.targets." + name, () -> p.settings(fallback.rpo()));
                if (policy != null) {
                  targets.put(name, policy);
                }
              });
    }
    boolean discover = f == null || f.discover() == null || f.discover();
    Duration refresh = f == null ? null : f.refresh();
    FleetSettings fleet =
        b.attempt("fleet", () -> new FleetSettings(discover, refresh, fallback, targets));
    return fleet == null ? new FleetSettings(discover, fallback, targets) : fleet;
  }

  private static List<Schedule> schedules(
      JsonNode list, SettingsBinder b, boolean requireKnownOperations) {
    List<Schedule> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode node = list.get(i);
      String path =
          "schedules["
              + i
              + "]"
              + (node.hasNonNull("name") ? " (" + node.get("name").asText() + ")" : "");
      ScheduleFile file = b.bind(node, "schedules[" + i + "]", ScheduleFile.class);
      Schedule schedule = file == null ? null : b.attempt(path, file::schedule);
      if (schedule == null) {
        continue;
      }
      if (requireKnownOperations || Operation.fromWireName(schedule.operation()).isPresent()) {
        ScheduleCheck.problem(schedule).ifPresent(p -> b.problem(path + p));
      }
      out.add(schedule);
    }
    return out;
  }

  private static InetSocketAddress address(String text) {
    int colon = text.lastIndexOf(':');
    try {
      return new InetSocketAddress(
          text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("expected host:port, not '" + text + "'");
    }
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "dispatcher";
    }
  }
}
