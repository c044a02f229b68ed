package io.pgfleet.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgfleet.commands.Durations;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.TargetName;
import io.pgfleet.commands.signing.CommandSigner;
import io.pgfleet.commands.signing.Ed25519Keys;
import io.pgfleet.commands.wire.CommandRejection;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.api.Role;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.schedule.CronCalendar;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.SchedulingSettings;
import io.pgfleet.dispatcher.schedule.TargetSelector;
import io.pgfleet.dispatcher.send.CommandRequest;
import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.runtime.config.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loads {@link DispatcherConfig} from YAML (see {@code dispatcher.example.yaml}), reporting every
 * problem at once with its path. {@code PGFLEET_DISPATCHER_ID}, {@code
 * PGFLEET_KAFKA_BOOTSTRAP_SERVERS}, {@code PGFLEET_LEDGER_URL}, {@code PGFLEET_HTTP_LISTEN}, {@code
 * PGFLEET_METRICS_ENABLED} and {@code PGFLEET_METRICS_PORT} override single settings so replicas
 * can share one file.
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

  private final JsonNode root;
  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();

  private DispatcherConfigFile(JsonNode root, Map<String, String> env) {
    this.root = root;
    this.env = env;
  }

  public static DispatcherConfig load(Path file) {
    return load(file, System.getenv());
  }

  /**
   * Reads and checks the file: every schedule's operation and params must pass the command schemas
   * of this build.
   */
  public static DispatcherConfig load(Path file, Map<String, String> env) {
    DispatcherConfigFile reader = new DispatcherConfigFile(parse(file), env);
    DispatcherConfig config = reader.read();
    if (!reader.problems.isEmpty()) {
      throw new ConfigException(
          file
              + " has "
              + reader.problems.size()
              + " problem(s):\n  - "
              + String.join("\n  - ", reader.problems));
    }
    return config;
  }

  /**
   * The schedules of a file, checked for everything but whether this build knows their operations.
   */
  public static List<Schedule> schedules(Path file) {
    DispatcherConfigFile reader = new DispatcherConfigFile(parse(file), Map.of());
    List<Schedule> schedules = reader.schedules(false);
    if (!reader.problems.isEmpty()) {
      throw new ConfigException(file + ": " + String.join("; ", reader.problems));
    }
    return schedules;
  }

  private static JsonNode parse(Path file) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
      if (root == null || !root.isObject()) {
        throw new ConfigException(file + " is empty or not a YAML mapping");
      }
      return root;
    } catch (IOException e) {
      throw new ConfigException("cannot read dispatcher config " + file + ": " + e.getMessage());
    }
  }

  private DispatcherConfig read() {
    Topics topics =
        build(
            "kafka.topicPrefix",
            () -> new Topics(text("kafka.topicPrefix", Topics.DEFAULT_PREFIX)));
    KafkaSettings kafka =
        new KafkaSettings(
            text("kafka.bootstrapServers", null),
            topics,
            text(
                "kafka.groupId",
                (topics == null ? "pgfleet" : topics.prefix())
                    + DispatcherConfig.DEFAULT_GROUP_SUFFIX),
            strings("kafka.properties"));
    LedgerSettings ledger =
        new LedgerSettings(
            text("ledger.url", null),
            text("ledger.user", null),
            secret(node("ledger.password"), "ledger.password"),
            (int) number("ledger.poolSize", 8));
    InetSocketAddress listen =
        build("http.listen", () -> address(text("http.listen", "0.0.0.0:8080")));
    SchedulingSettings defaults = SchedulingSettings.defaults();
    SchedulingSettings scheduling =
        new SchedulingSettings(
            duration("scheduling.missedHorizon", defaults.missedHorizon()),
            duration("scheduling.tick", defaults.tick()));
    DispatcherConfig config =
        build(
            "schedules",
            () ->
                new DispatcherConfig(
                    text("dispatcher.id", hostname()),
                    kafka,
                    ledger,
                    listen,
                    tokens(),
                    fleet(),
                    scheduling,
                    schedules(true),
                    signer(),
                    metrics()));
    return config;
  }

  /** {@code metrics: {enabled: true, port: 9401}}: off unless enabled. */
  private MetricsSettings metrics() {
    if (!bool("metrics.enabled", false)) {
      return MetricsSettings.DISABLED;
    }
    long port = number("metrics.port", DispatcherConfig.DEFAULT_METRICS_PORT);
    if (port < 1 || port > 65535) {
      problems.add("metrics.port: " + port + " is not a TCP port (1-65535)");
      return MetricsSettings.DISABLED;
    }
    return new MetricsSettings((int) port);
  }

  /** {@code signing: {signer: ID, privateKey: {file: PATH}}}: the key the dispatcher signs with. */
  private CommandSigner signer() {
    if (node("signing.signer").isMissingNode()) {
      return null;
    }
    String id = text("signing.signer", null);
    Secret key = secret(node("signing.privateKey"), "signing.privateKey");
    return build("signing", () -> new CommandSigner(id, Ed25519Keys.privateKey(key.reveal())));
  }

  private List<ApiToken> tokens() {
    List<ApiToken> tokens = new ArrayList<>();
    JsonNode list = node("api.tokens");
    for (int i = 0; i < list.size(); i++) {
      JsonNode t = list.get(i);
      String path = "api.tokens[" + i + "]";
      String name = t.path("name").asText(null);
      Role role = Role.fromConfigName(t.path("role").asText("")).orElse(null);
      if (role == null) {
        problems.add(path + ".role: one of " + Role.configNames());
        continue;
      }
      ApiToken token =
          build(
              path,
              () -> {
                if (t.hasNonNull("sha256") == t.has("token")) {
                  throw new IllegalArgumentException(
                      "give exactly one of sha256 or token ({env: VAR} or {file: PATH})");
                }
                if (t.hasNonNull("sha256")) {
                  return ApiToken.ofHash(name, role, t.get("sha256").asText());
                }
                Secret secret = secret(t.get("token"), path + ".token");
                return secret == null ? null : ApiToken.ofSecret(name, role, secret.reveal());
              });
      if (token != null) {
        tokens.add(token);
      }
    }
    if (tokens.stream().map(ApiToken::name).distinct().count() != tokens.size()) {
      problems.add("api.tokens: token names must be unique");
    }
    return tokens;
  }

  private FleetSettings fleet() {
    TargetPolicy defaults =
        build("fleet", () -> policy(node("fleet"), TargetPolicy.DEFAULT_RPO, "fleet"));
    Map<String, TargetPolicy> targets = new LinkedHashMap<>();
    node("fleet.targets")
        .fields()
        .forEachRemaining(
            e -> {
              String path = "fleet.targets." + e.getKey();
              if (!TargetName.isValid(e.getKey())) {
                problems.add(path + ": not a valid target name");
                return;
              }
              Duration rpo = defaults == null ? TargetPolicy.DEFAULT_RPO : defaults.rpo();
              TargetPolicy p = build(path, () -> policy(e.getValue(), rpo, path));
              if (p != null) {
                targets.put(e.getKey(), p);
              }
            });
    return new FleetSettings(
        bool("fleet.discover", true),
        defaults == null ? TargetPolicy.defaults() : defaults,
        targets);
  }

  private TargetPolicy policy(JsonNode node, Duration defaultRpo, String path) {
    Duration rpo =
        node.hasNonNull("rpo")
            ? parseDuration(node.get("rpo").asText(), path + ".rpo")
            : defaultRpo;
    Duration warn =
        node.hasNonNull("warnAfter")
            ? parseDuration(node.get("warnAfter").asText(), path + ".warnAfter")
            : null;
    Duration verified =
        node.hasNonNull("verifiedRpo")
            ? parseDuration(node.get("verifiedRpo").asText(), path + ".verifiedRpo")
            : null;
    return new TargetPolicy(rpo, warn, verified);
  }

  private List<Schedule> schedules(boolean requireKnownOperations) {
    List<Schedule> out = new ArrayList<>();
    JsonNode list = node("schedules");
    if (!list.isMissingNode() && !list.isArray()) {
      problems.add("schedules: expected a list");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      JsonNode s = list.get(i);
      String path =
          "schedules["
              + i
              + "]"
              + (s.hasNonNull("name") ? " (" + s.get("name").asText() + ")" : "");
      Schedule schedule = build(path, () -> schedule(s));
      if (schedule == null) {
        continue;
      }
      if (requireKnownOperations || Operation.fromWireName(schedule.operation()).isPresent()) {
        check(schedule, path);
      }
      out.add(schedule);
    }
    return out;
  }

  private static Schedule schedule(JsonNode s) {
    for (String required : List.of("name", "cron", "targets", "operation")) {
      if (!s.hasNonNull(required)) {
        throw new IllegalArgumentException(required + ": required");
      }
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(s.path("zone").asText("UTC"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "zone: unknown time zone '" + s.path("zone").asText() + "'");
    }
    JsonNode params = s.get("params");
    if (params != null && !params.isObject()) {
      throw new IllegalArgumentException("params: expected a mapping");
    }
    return new Schedule(
        s.get("name").asText(),
        CronCalendar.parse(s.get("cron").asText(), zone),
        targets(s.get("targets")),
        s.get("operation").asText(),
        (ObjectNode) params,
        s.hasNonNull("window") ? Durations.parse(s.get("window").asText()) : null);
  }

  private static TargetSelector targets(JsonNode node) {
    if (node.isTextual() && node.asText().equals("all")) {
      return TargetSelector.everyTarget();
    }
    List<String> patterns = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> patterns.add(n.asText()));
    } else {
      patterns.add(node.asText());
    }
    return TargetSelector.of(patterns);
  }

  /** The schedule's operation and params pass the schemas (checked on a sample target). */
  private void check(Schedule schedule, String path) {
    CommandRequest sample =
        new CommandRequest(
            schedule.commandId("sample", Instant.EPOCH),
            schedule.source(),
            schedule.operation(),
            "sample",
            schedule.params(),
            Instant.EPOCH,
            null);
    try {
      sample.validate();
    } catch (CommandRejection e) {
      String field =
          e.error().field() == null
              ? ""
              : " ("
                  + e.error().field().replace("/data", "params").replace("/type", "operation")
                  + ")";
      problems.add(path + field + ": " + e.getMessage());
    }
  }

  private <T> T build(String path, Supplier<T> builder) {
    try {
      return builder.get();
    } catch (RuntimeException e) {
      problems.add(path + ": " + e.getMessage());
      return null;
    }
  }

  private JsonNode node(String path) {
    JsonNode current = root;
    for (String part : path.split("\\.")) {
      current = current.path(part);
    }
    return current;
  }

  private String text(String path, String fallback) {
    String override =
        ENV_OVERRIDES.entrySet().stream()
            .filter(e -> e.getValue().equals(path) && env.get(e.getKey()) != null)
            .map(e -> env.get(e.getKey()))
            .findFirst()
            .orElse(null);
    if (override != null) {
      return override;
    }
    JsonNode value = node(path);
    if (value.isValueNode() && !value.isNull()) {
      return value.asText();
    }
    if (fallback == null) {
      problems.add(path + ": required");
    }
    return fallback;
  }

  private long number(String path, long fallback) {
    String text = text(path, String.valueOf(fallback));
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      problems.add(path + ": expected a whole number, not '" + text + "'");
      return fallback;
    }
  }

  private boolean bool(String path, boolean fallback) {
    String text = text(path, String.valueOf(fallback));
    if (!text.equals("true") && !text.equals("false")) {
      problems.add(path + ": expected true or false");
    }
    return Boolean.parseBoolean(text);
  }

  private Duration duration(String path, Duration fallback) {
    return parseDuration(text(path, fallback.toString()), path);
  }

  private Duration parseDuration(String text, String path) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage());
    }
  }

  private Map<String, String> strings(String path) {
    Map<String, String> out = new LinkedHashMap<>();
    node(path).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private Secret secret(JsonNode value, String path) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      problems.add(path + ": required, as {env: VARIABLE} or {file: PATH}");
      return null;
    }
    if (value.hasNonNull("env") && !value.hasNonNull("file")) {
      return Secret.fromEnv(value.get("env").asText());
    }
    if (value.hasNonNull("file") && !value.hasNonNull("env")) {
      return Secret.fromFile(Path.of(value.get("file").asText()));
    }
    problems.add(
        path
            + ": write it as {env: VARIABLE} or {file: PATH}; secrets do not belong in config files");
    return null;
  }

  private static InetSocketAddress address(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected host:port, not '" + text + "'");
    }
    try {
      return new InetSocketAddress(
          text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
    } catch (NumberFormatException e) {
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
