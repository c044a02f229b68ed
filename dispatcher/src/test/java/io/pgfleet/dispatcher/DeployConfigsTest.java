package io.pgfleet.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher configs shipped in deploy/ are ones the dispatcher accepts. */
class DeployConfigsTest {
  private static final Path DEPLOY = Path.of("..", "deploy");
  private static final Map<String, String> ENV = Map.of("PGFLEET_LEDGER_PASSWORD", "pw");

  @Test
  void the_compose_and_kubernetes_dispatcher_configs_load(@TempDir Path dir) throws Exception {
    assertThat(
            DispatcherConfigFile.load(DEPLOY.resolve("compose/dispatcher.yaml"), ENV)
                .metrics()
                .port())
        .isEqualTo(9401);

    String embedded = null;
    try (MappingIterator<JsonNode> docs =
        new YAMLMapper()
            .readerFor(JsonNode.class)
            .readValues(DEPLOY.resolve("kubernetes/dispatcher.yaml").toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc.path("kind").asText().equals("ConfigMap")) {
          embedded = doc.at("/data/dispatcher.yaml").asText();
        }
      }
    }
    assertThat(embedded).isNotBlank();
    DispatcherConfig config =
        DispatcherConfigFile.load(Files.writeString(dir.resolve("d.yaml"), embedded), ENV);
    assertThat(config.metrics().port()).isEqualTo(9401); // the port the probes and Service use
  }
}
