package io.pgfleet.runtime.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.pgfleet.commands.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Binds the sections of a schema-checked settings tree into records, collecting every problem with
 * its path. Durations are written as 30s, 5m, 2h, 7d; secrets as {env: VARIABLE} or {file: PATH}.
 */
public final class SettingsBinder {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(
              new SimpleModule()
                  .addDeserializer(Duration.class, new DurationReader())
                  .addDeserializer(Secret.class, new SecretReader()))
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private final List<String> problems;

  /** A binder adding to {@code problems} (those the schema found, usually). */
  public SettingsBinder(List<String> problems) {
    this.problems = problems;
  }

  /** The node bound to {@code type}; null for a missing node, or after a problem at its path. */
  public <T> T bind(JsonNode node, String path, Class<T> type) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonMappingException e) {
      StringBuilder at = new StringBuilder(path);
      e.getPath()
          .forEach(
              r ->
                  at.append(
                      r.getFieldName() != null
                          ? "." + r.getFieldName()
                          : "[" + r.getIndex() + "]"));
      Throwable cause = e.getCause() == null ? e : e.getCause();
      add(at.toString(), cause.getMessage() == null ? e.getOriginalMessage() : cause.getMessage());
      return null;
    } catch (IOException e) {
      add(path, e.getMessage());
      return null;
    }
  }

  /** Builds a value whose own checks may fail: a failure is a problem at {@code path}. */
  public <T> T attempt(String path, Supplier<T> builder) {
    try {
      return builder.get();
    } catch (RuntimeException e) {
      add(path, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      return null;
    }
  }

  public void problem(String message) {
    problems.add(message);
  }

  public List<String> problems() {
    return problems;
  }

  /** A problem, unless one is already listed at this path or below (the schema's, usually). */
  private void add(String path, String message) {
    if (problems.stream().noneMatch(p -> p.startsWith(path + ".") || p.startsWith(path + ":"))) {
      problems.add(path + ": " + message);
    }
  }

  private static final class DurationReader extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
      return Durations.parse(p.getValueAsString());
    }
  }

  private static final class SecretReader extends JsonDeserializer<Secret> {
    @Override
    public Secret deserialize(JsonParser p, DeserializationContext c) throws IOException {
      JsonNode node = p.readValueAsTree();
      if (node.path("env").isTextual() && node.size() == 1) {
        return Secret.fromEnv(node.get("env").asText());
      }
      if (node.path("file").isTextual() && node.size() == 1) {
        return Secret.fromFile(Path.of(node.get("file").asText()));
      }
      throw new IllegalArgumentException(
          "write it as {env: VARIABLE} or {file: PATH}; credentials do not belong in config files");
    }
  }
}
