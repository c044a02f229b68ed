package io.pgfleet.dev;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.SettingsFile;
import io.pgfleet.worker.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet file of {@code demo --fleet}: {@code fleet.example.yaml} with the local stack's
 * addresses, every {@code {env: NAME}} turned into {@code {file: DIR/secrets/NAME}} (the secret
 * files written here, mode 600; no password in the file), and the demo's signer, API and listen
 * address appended.
 */
final class FleetDemoFile {
  private static final Pattern ENV_REF = Pattern.compile("\\{env: ([A-Z0-9_]+)\\}");

  private final Path file;
  private final Path secrets;

  private FleetDemoFile(Path dir) {
    this.file = dir.resolve("fleet.yaml");
    this.secrets = dir.resolve("secrets");
  }

  /** The example's targets: name to the role (user) and password variable the example gives. */
  static Map<String, String[]> exampleTargets() {
    Map<String, String[]> targets = new LinkedHashMap<>();
    JsonNode root = SettingsFile.read(example());
    root.path("targets")
        .fields()
        .forEachRemaining(
            e ->
                targets.put(
                    e.getKey(),
                    new String[] {
                      e.getValue().path("user").asText(),
                      e.getValue().path("password").path("env").asText()
                    }));
    return targets;
  }

  /**
   * Writes the file for {@code stack}; {@code passwords} maps each variable the example names
   * (AUTH_DB_PASSWORD...) to its value, which goes to a secret file.
   */
  static Path write(
      Path dir, LocalStack stack, Map<String, String> passwords, String operatorKey, String token)
      throws IOException {
    FleetDemoFile f = new FleetDemoFile(dir);
    Files.createDirectories(f.secrets);
    Map<String, String> all = new LinkedHashMap<>(passwords);
    all.put("PGFLEET_LEDGER_PASSWORD", stack.postgres().superuserPassword());
    all.put("PG_ADMIN_PASSWORD", stack.postgres().superuserPassword());
    all.put("S3_ACCESS_KEY", stack.s3().accessKey());
    all.put("S3_SECRET_KEY", stack.s3().secretKey());
    all.put("PGFLEET_API_TOKEN", token);
    for (var e : all.entrySet()) {
      Path secret = f.secrets.resolve(e.getKey());
      Files.writeString(secret, e.getValue(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    }
    String pg = stack.postgres().host();
    String text =
        Files.readString(example(), StandardCharsets.UTF_8)
                .replaceFirst(
                    "(?m)^kafka: .*$",
                    "kafka: {bootstrapServers: \"" + stack.kafka().bootstrapServers() + "\"}")
                .replaceFirst(
                    "(?m)^ledger: \\{url: \"[^\"]*\", user: \\w+",
                    "ledger: {url: \""
                        + stack.postgres().jdbcUrl(Demo.LEDGER_DATABASE)
                        + "\", user: "
                        + stack.postgres().superuser())
                .replaceFirst(
                    "(?m)^storage: .*$",
                    "storage: {endpoint: \""
                        + stack.s3().endpoint()
                        + "\", region: "
                        + stack.s3().region()
                        + ", bucket: "
                        + Demo.BUCKET
                        + ", accessKey: {env: S3_ACCESS_KEY}, secretKey: {env: S3_SECRET_KEY}}")
                .replaceFirst(
                    "(?m)^  host: .*$", "  host: " + pg + "\n  port: " + stack.postgres().port())
                .replaceFirst("(?m)^  sslMode: .*$", "  sslMode: disable")
                .replaceFirst(
                    "admin: \\{user: \\w+", "admin: {user: " + stack.postgres().superuser())
            + "worker: {id: demo-worker}\n"
            + "security: {trustedSigners: {"
            + DemoPurges.SIGNER
            + ": {publicKey: "
            + operatorKey
            + "}}}\n"
            + "http: {listen: \"127.0.0.1:0\"}\n"
            + "api: {tokens: [{name: demo, role: operator, token: {env: PGFLEET_API_TOKEN}}]}\n";
    Matcher m = ENV_REF.matcher(text);
    text = m.replaceAll(r -> "{file: " + f.secrets.resolve(r.group(1)) + "}");
    return Files.writeString(f.file, text, StandardCharsets.UTF_8);
  }

  /** fleet.example.yaml as shipped in the worker jar, copied out so it reads as a file. */
  private static Path example() {
    try (InputStream in = Worker.class.getResourceAsStream("/fleet.example.yaml")) {
      if (in == null) {
        throw new IllegalStateException("fleet.example.yaml is not on the classpath");
      }
      Path copy = Files.createTempFile("fleet.example", ".yaml");
      copy.toFile().deleteOnExit();
      Files.write(copy, in.readAllBytes());
      return copy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read fleet.example.yaml", e);
    }
  }
}
