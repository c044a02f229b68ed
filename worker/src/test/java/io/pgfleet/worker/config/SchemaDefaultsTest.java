package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defaults the schema tells editors are the ones the worker applies: writing every documented
 * default explicitly changes nothing.
 */
class SchemaDefaultsTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  @TempDir Path dir;

  @Test
  void every_default_in_the_schema_is_the_value_a_worker_uses_when_the_key_is_left_out()
      throws Exception {
    JsonNode schema =
        new ObjectMapper()
            .readTree(getClass().getResource("/io/pgfleet/schemas/v1/config/pgfleet.schema.json"));
    ObjectNode minimal =
        (ObjectNode)
            YAML.readTree(
                """
                kafka: {bootstrapServers: "k:9092"}
                ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
                storage: {bucket: b}
                metrics: {enabled: true}
                targets:
                  order_db:
                    host: h
                    user: u
                    password: {env: P}
                    pitr: {stream: {enabled: true}}
                    purgePolicies: {p: {table: t, timeColumn: c, olderThan: 7d}}
                """);
    ObjectNode explicit = minimal.deepCopy();
    List<String> applied = new ArrayList<>();
    for (String section : List.of("kafka", "storage", "runs", "metrics", "security")) {
      defaults(schema, schema.path("properties").path(section), explicit, section, applied);
    }
    defaults(schema, schema.at("/$defs/target"), explicit, "targets.order_db", applied);

    WorkerConfig left = load(minimal);
    WorkerConfig written = load(explicit);

    assertThat(applied)
        .contains("targets.order_db.purgePolicies.p.batchTime")
        .hasSizeGreaterThan(20);
    assertThat(written).as("with %s", applied).isEqualTo(left);
  }

  private static void defaults(
      JsonNode schema, JsonNode def, ObjectNode root, String path, List<String> applied) {
    if (def.has("default")) {
      ObjectNode parent = root;
      String[] parts = path.split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        parent =
            parent.has(parts[i]) ? (ObjectNode) parent.get(parts[i]) : parent.putObject(parts[i]);
      }
      if (!parent.has(parts[parts.length - 1])) {
        parent.set(parts[parts.length - 1], def.get("default"));
        applied.add(path);
      }
    }
    if (def.has("$ref")) {
      def = schema.at(def.get("$ref").asText().substring(1));
    }
    JsonNode properties = def.path("properties");
    properties
        .fieldNames()
        .forEachRemaining(
            key -> defaults(schema, properties.get(key), root, path + "." + key, applied));
    if (path.endsWith("purgePolicies")) {
      defaults(schema, def.path("additionalProperties"), root, path + ".p", applied);
    }
  }

  private WorkerConfig load(JsonNode tree) throws Exception {
    Path file = dir.resolve("w" + tree.hashCode() + ".yaml");
    YAML.writeValue(file.toFile(), tree);
    return WorkerConfigFile.load(file, Map.of("P", "pw"));
  }
}
