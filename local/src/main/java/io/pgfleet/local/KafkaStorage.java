package io.pgfleet.local;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * Formats a KRaft log directory the way {@code kafka-storage.sh format} does, once: a directory
 * that already holds {@code meta.properties} keeps its cluster id and data.
 */
final class KafkaStorage {

  private KafkaStorage() {}

  static void formatIfNeeded(Path logDir, int nodeId, String controllerListenerName) {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Directories.create(logDir);
    String dir = logDir.toString();
    try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(nodeId)
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(controllerListenerName)
          .setMetadataLogDirectory(dir)
          .setDirectories(List.of(dir))
          // Static quorum (controller.quorum.voters), as written in the broker config.
          .setHasDynamicQuorum(false)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("could not format Kafka log directory " + logDir, e);
    }
  }
}
