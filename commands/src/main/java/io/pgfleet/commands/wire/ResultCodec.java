package io.pgfleet.commands.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunReport;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/** Result events as CloudEvents 1.0 in structured JSON mode. */
public final class ResultCodec {
  private static final String ENVELOPE_SCHEMA = "result.schema.json";

  private final ObjectMapper mapper = Json.mapper();

  public byte[] encode(ResultEvent event) {
    try {
      return mapper.writeValueAsBytes(toTree(event));
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot encode result " + event.id(), e);
    }
  }

  public ObjectNode toTree(ResultEvent event) {
    ObjectNode node = mapper.createObjectNode();
    node.put("specversion", "1.0");
    node.put("id", event.id());
    node.put("source", event.source());
    node.put("type", event.outcome().eventType());
    node.put("subject", event.subject());
    node.put("time", event.time().toString());
    node.put("datacontenttype", "application/json");
    node.set("data", mapper.valueToTree(event.data()));
    return node;
  }

  public ResultEvent decode(byte[] bytes) {
    try {
      JsonNode node = mapper.readTree(bytes);
      Outcome outcome =
          Outcome.fromEventType(node.path("type").asText())
              .orElseThrow(() -> new IllegalArgumentException("not a pgfleet result: " + node));
      return new ResultEvent(
          node.get("id").asText(),
          node.get("source").asText(),
          outcome,
          node.get("subject").asText(),
          Instant.parse(node.get("time").asText()),
          mapper.treeToValue(node.get("data"), RunReport.class));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a pgfleet result event", e);
    }
  }

  /** The first way the encoded event breaks the result schemas, if any. */
  public Optional<Schemas.Violation> violation(byte[] bytes) {
    try {
      JsonNode node = mapper.readTree(bytes);
      Optional<Schemas.Violation> envelope = Schemas.firstViolation(ENVELOPE_SCHEMA, node, "");
      if (envelope.isPresent()) {
        return envelope;
      }
      Outcome outcome = Outcome.fromEventType(node.get("type").asText()).orElseThrow();
      return Schemas.firstViolation(outcome.dataSchemaPath(), node.get("data"), "/data");
    } catch (IOException e) {
      return Optional.of(new Schemas.Violation("/", "not JSON: " + e.getMessage()));
    }
  }
}
