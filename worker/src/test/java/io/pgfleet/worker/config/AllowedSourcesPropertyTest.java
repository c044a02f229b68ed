package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgfleet.commands.TargetName;
import io.pgfleet.runtime.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever is written in {@code restore.allowedSources}, the file either loads with that name
 * allowed (noted when the file does not know it), or is refused with the entry's path and why.
 */
class AllowedSourcesPropertyTest {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Set<String> OTHERS = Set.of("order_db_prod", "payment_db");
  private static final String SELF = "order_db_staging";
  private static final String AT = "targets." + SELF + ".restore.allowedSources";

  @Property(tries = 300)
  void an_entry_is_another_known_target_or_a_problem_at_its_path(@ForAll("entries") String entry)
      throws Exception {
    Path file = Files.createTempFile("sources", ".yaml");
    try {
      YAML.writeValue(file.toFile(), fleet(entry));
      ConfigException refused =
          catchThrowableOfType(
              () -> WorkerConfigFile.load(file, Map.of("P", "p")), ConfigException.class);

      if (TargetName.isValid(entry)) {
        assertThat(refused).isNull();
        assertThat(
                RestoreSources.unknownNames(
                    Set.of(SELF, "order_db_prod", "payment_db"),
                    WorkerConfigFile.load(file, Map.of("P", "p")).targets().values(),
                    List.of()))
            .as("a note exactly for a name the file does not know")
            .hasSize(OTHERS.contains(entry) || entry.equals(SELF) ? 0 : 1);
      } else {
        assertThat(refused)
            .hasMessageContaining(AT + "[0]: is not a target name: use 1-63 letters")
            .hasMessageContaining("1 problem(s)");
      }
      if (refused != null) {
        assertThat(refused.getMessage()).doesNotContainPattern("[\\x00-\\x09\\x0b-\\x1f\\x7f]");
      }
    } finally {
      Files.delete(file);
    }
  }

  @Provide
  Arbitrary<String> entries() {
    return Arbitraries.oneOf(
        Arbitraries.of("order_db_prod", "payment_db", SELF, "order_db_prd", "-x", "a".repeat(64)),
        Arbitraries.strings().withChars("aZ09_-./ ").ofMaxLength(66),
        Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(70));
  }

  private static ObjectNode fleet(String entry) {
    ObjectNode root = YAML.createObjectNode();
    root.putObject("kafka").put("bootstrapServers", "k:9092");
    secret(root.putObject("ledger").put("url", "jdbc:postgresql://x/y").put("user", "u"));
    root.putObject("storage").put("bucket", "b");
    secret(root.putObject("defaults").put("host", "h").put("user", "u"));
    ObjectNode targets = root.putObject("targets");
    OTHERS.forEach(targets::putObject);
    targets.putObject(SELF).putObject("restore").putArray("allowedSources").add(entry);
    return root;
  }

  private static void secret(ObjectNode node) {
    node.putObject("password").put("env", "P");
  }
}
