package io.pgfleet.commands.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pgfleet.commands.Printable;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas of the {@code schemas} module, the single source of truth of the wire contract.
 * Schemas are loaded from the classpath once and cached.
 */
public final class Schemas {
  public static final String BASE_URI = "https://pgfleet.io/schemas/v1/";
  private static final String CLASSPATH_BASE = "classpath:io/pgfleet/schemas/v1/";

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V202012,
          builder -> builder.schemaMappers(m -> m.mapPrefix(BASE_URI, CLASSPATH_BASE)));
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder()
          .formatAssertionsEnabled(true)
          .pathType(PathType.JSON_POINTER)
          // A schema may word its own message for a keyword: {"errorMessage": {"pattern": "..."}}
          .errorMessageKeyword("errorMessage")
          .regularExpressionFactory(EcmaAnchoredPatterns.INSTANCE)
          .build();
  private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

  private Schemas() {}

  /** A schema by its path below {@code v1/}, e.g. {@code commands/backup.schema.json}. */
  public static JsonSchema get(String path) {
    return CACHE.computeIfAbsent(
        path, p -> FACTORY.getSchema(SchemaLocation.of(BASE_URI + p), CONFIG));
  }

  /**
   * The first violation of {@code node} against the schema, as a pointer and a message, with the
   * pointer prefixed so that it names the field in the whole message (e.g. {@code /data}).
   */
  public static Optional<Violation> firstViolation(String path, JsonNode node, String prefix) {
    return get(path).validate(node).stream()
        .min(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString()))
        .map(m -> Violation.of(m, prefix));
  }

  /** One schema violation: where, and what is wrong there. */
  public record Violation(String pointer, String message) {
    private static final int MAX_POINTER = 120;
    private static final int MAX_MESSAGE = 300;

    /** Both may quote what a producer sent (a property's name): escaped and cut. */
    public Violation {
      pointer = Printable.cut(pointer, MAX_POINTER);
      message = Printable.cut(message, MAX_MESSAGE);
    }

    static Violation of(ValidationMessage m, String prefix) {
      String location = m.getInstanceLocation().toString();
      String pointer = prefix + (location.isEmpty() ? "" : location);
      // networknt prefixes the message with the location; keep the pointer form we report.
      String text = m.getMessage();
      if (text.startsWith(location + ": ")) {
        text = text.substring(location.length() + 2);
      }
      return new Violation(pointer.isEmpty() ? "/" : pointer, text);
    }

    @Override
    public String toString() {
      return pointer + ": " + message;
    }
  }
}
