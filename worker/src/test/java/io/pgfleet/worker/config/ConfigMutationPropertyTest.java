package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgfleet.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A valid config file with one mistake (a key dropped or renamed, a value of the wrong type, or
 * random bytes) either still loads or is refused with a {@link ConfigException} naming where: never
 * a NullPointerException or another exception the user cannot act on.
 */
class ConfigMutationPropertyTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonNode EXAMPLE = example();
  private static final List<String> POINTERS = pointers(EXAMPLE, "", new ArrayList<>());

  @Property(tries = 300)
  void a_mutated_config_loads_or_is_refused_with_a_path(@ForAll("mutations") byte[] file)
      throws Exception {
    Path path = Files.createTempFile("mutated", ".yaml");
    try {
      Files.write(path, file);
      WorkerConfigFile.load(path, Map.of(), false);
    } catch (ConfigException e) {
      assertThat(e.getMessage())
          .matches(
              "(?s)(.*\\n  - [^\\n:]+: .+|cannot read config .+|.+ is empty or not a YAML mapping)");
    } finally {
      Files.delete(path);
    }
  }

  @Property(tries = 100)
  void a_key_renamed_where_keys_are_fixed_is_refused_by_its_path(
      @ForAll("fixedKeys") String pointer) throws Exception {
    Path path = Files.createTempFile("renamed", ".yaml");
    try {
      Files.write(
          path, yaml(mutate(pointer, (parent, key) -> parent.set(key + "x", parent.remove(key)))));
      String dotted = pointer.substring(1).replace('/', '.') + "x";

      assertThatThrownBy(() -> WorkerConfigFile.load(path, Map.of(), false))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(dotted + ": unknown key");
    } finally {
      Files.delete(path);
    }
  }

  /** Keys of mappings whose keys the schema fixes (not target, policy, signer or key names). */
  @Provide
  Arbitrary<String> fixedKeys() {
    return Arbitraries.of(
        POINTERS.stream()
            .filter(p -> !p.substring(0, p.lastIndexOf('/')).matches(FREE_KEYS))
            .toList());
  }

  private static final String FREE_KEYS =
      "/targets|/targets/[^/]+/purgePolicies|/discovery|/discovery/[^/]+/purgePolicies|/security/trustedSigners|/encryption/keys|/kafka/properties";

  @Provide
  Arbitrary<byte[]> mutations() {
    Arbitrary<String> pointer = Arbitraries.of(POINTERS);
    Arbitrary<byte[]> dropped =
        pointer.map(p -> yaml(mutate(p, (parent, key) -> parent.remove(key))));
    Arbitrary<byte[]> renamed =
        pointer.map(
            p -> yaml(mutate(p, (parent, key) -> parent.set(key + "x", parent.remove(key)))));
    Arbitrary<byte[]> retyped =
        Arbitraries.of("[[1]]", "{x: 1}", "\"text\"", "-1", "true", "null")
            .flatMap(
                v -> pointer.map(p -> yaml(mutate(p, (parent, key) -> parent.set(key, parse(v))))));
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    return Arbitraries.oneOf(dropped, renamed, retyped, random);
  }

  private interface Edit {
    void apply(ObjectNode parent, String key);
  }

  private static JsonNode mutate(String pointer, Edit edit) {
    JsonNode copy = EXAMPLE.deepCopy();
    int slash = pointer.lastIndexOf('/');
    edit.apply((ObjectNode) copy.at(pointer.substring(0, slash)), pointer.substring(slash + 1));
    return copy;
  }

  private static List<String> pointers(JsonNode node, String at, List<String> out) {
    node.fields()
        .forEachRemaining(
            e -> {
              String p = at + "/" + e.getKey();
              if (!e.getKey().contains("/") && !e.getKey().contains("~")) {
                out.add(p);
                pointers(e.getValue(), p, out);
              }
            });
    return out;
  }

  private static JsonNode parse(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] yaml(JsonNode node) {
    try {
      return YAML.writeValueAsBytes(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode example() {
    try (var in = ConfigMutationPropertyTest.class.getResourceAsStream("/worker.example.yaml")) {
      return YAML.readTree(in);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
