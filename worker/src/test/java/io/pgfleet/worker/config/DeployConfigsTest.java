package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgfleet.runtime.config.MetricsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker configs shipped in deploy/ are ones the worker accepts, wired as the manifests say.
 */
class DeployConfigsTest {
  private static final Path DEPLOY = Path.of("..", "deploy");

  @Test
  void the_compose_worker_config_loads_with_metrics_on_9400() {
    WorkerConfig config =
        WorkerConfigFile.load(
            DEPLOY.resolve("compose/worker.yaml"), Map.of("PGFLEET_WORKER_ID", "w"), false);

    assertThat(config.metrics()).isEqualTo(new MetricsSettings(9400));
    assertThat(config.targets()).containsKey("order_db");
  }

  @Test
  void the_kubernetes_worker_config_loads_and_the_pod_outlives_its_shutdown_grace(@TempDir Path dir)
      throws Exception {
    JsonNode configMap = null;
    JsonNode deployment = null;
    try (MappingIterator<JsonNode> docs =
        new YAMLMapper()
            .readerFor(JsonNode.class)
            .readValues(DEPLOY.resolve("kubernetes/worker.yaml").toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        switch (doc.path("kind").asText()) {
          case "ConfigMap" -> configMap = doc;
          case "Deployment" -> deployment = doc;
          default -> {}
        }
      }
    }
    Path file =
        Files.writeString(dir.resolve("worker.yaml"), configMap.at("/data/worker.yaml").asText());

    WorkerConfig config = WorkerConfigFile.load(file, Map.of("PGFLEET_WORKER_ID", "pod-1"), false);

    assertThat(config.metrics().port())
        .isEqualTo(deployment.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt());
    long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
    assertThat(Duration.ofSeconds(grace)).isGreaterThan(config.runs().shutdownGrace());
  }
}
