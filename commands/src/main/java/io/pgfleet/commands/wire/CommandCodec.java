package io.pgfleet.commands.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.Printable;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.RunError;
import io.pgfleet.commands.signing.CommandSigner;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Commands as CloudEvents 1.0 in structured JSON mode. Decoding checks, in order: size, strict
 * UTF-8 ({@link WireText}), JSON syntax, characters in every string, the envelope schema, the
 * operation, the operation's data schema; the first problem found is the rejection's reason.
 */
public final class CommandCodec {
  public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
  public static final int MAX_BYTES = 64 * 1024;
  private static final String ENVELOPE_SCHEMA = "command.schema.json";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private final ObjectMapper mapper = Json.mapper();

  public byte[] encode(Command command) {
    ObjectNode event = mapper.createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", command.id());
    event.put("source", command.source());
    event.put("type", command.operation().commandType());
    event.put("subject", command.target());
    event.put("time", command.time().toString());
    event.put("datacontenttype", "application/json");
    command.expiry().ifPresent(at -> event.put("expiresat", at.toString()));
    event.set("data", mapper.valueToTree(command.params()));
    try {
      return mapper.writeValueAsBytes(event);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot encode command " + command.id(), e);
    }
  }

  public Command decode(byte[] bytes) throws CommandRejection {
    return decodeReceived(bytes).command();
  }

  /** A decoded command with its signature, if it carries one. */
  public record Received(Command command, Optional<Signed> signature) {}

  /** The signature attributes of a command and the exact content they claim to cover. */
  public record Signed(String signer, String signature, byte[] content) {}

  /** Decodes and validates, keeping what a signature check needs. */
  public Received decodeReceived(byte[] bytes) throws CommandRejection {
    if (bytes == null || bytes.length == 0) {
      throw CommandRejection.of(ErrorCode.MALFORMED_COMMAND, "the record has no value");
    }
    if (bytes.length > MAX_BYTES) {
      throw CommandRejection.of(
          ErrorCode.COMMAND_TOO_LARGE,
          "the command is " + bytes.length + " bytes; the limit is " + MAX_BYTES);
    }
    JsonNode node = parse(WireText.decode(bytes));
    String id = readableId(node);
    String type = node.path("type").asText(null);
    String operationName = Operation.wireNameOf(type).orElse(null);

    Optional<Schemas.Violation> unfit = WireText.firstUnfit(node, "");
    if (unfit.isPresent()) {
      throw invalid(unfit.get(), id, operationName);
    }

    Optional<Schemas.Violation> envelope = Schemas.firstViolation(ENVELOPE_SCHEMA, node, "");
    if (envelope.isPresent()) {
      throw invalid(envelope.get(), id, operationName);
    }
    Operation operation =
        Operation.fromCommandType(type)
            .orElseThrow(
                () ->
                    new CommandRejection(
                        RunError.of(
                            ErrorCode.UNKNOWN_OPERATION,
                            "unknown operation "
                                + Printable.quote(operationName)
                                + " in type "
                                + Printable.quote(type)
                                + "; this worker knows: "
                                + Operation.knownWireNames(),
                            "/type"),
                        id,
                        operationName));
    JsonNode data = node.get("data");
    Optional<Schemas.Violation> dataViolation =
        Schemas.firstViolation(operation.dataSchemaPath(), data, "/data");
    if (dataViolation.isPresent()) {
      throw invalid(dataViolation.get(), id, operationName);
    }
    Optional<Signed> signed =
        node.hasNonNull(Canonical.SIGNATURE)
            ? Optional.of(
                new Signed(
                    node.path(CommandSigner.SIGNER).asText(null),
                    node.get(Canonical.SIGNATURE).asText(),
                    Canonical.of(node)))
            : Optional.empty();
    return new Received(toCommand(node, operation, id), signed);
  }

  private JsonNode parse(String text) throws CommandRejection {
    try {
      JsonNode node = mapper.readTree(text);
      if (node == null || !node.isObject()) {
        throw CommandRejection.of(
            ErrorCode.MALFORMED_COMMAND, "the record is not a JSON object (a CloudEvent)");
      }
      return node;
    } catch (JacksonException e) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND,
          "the record is not valid JSON: " + Printable.clean(e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      throw CommandRejection.of(ErrorCode.MALFORMED_COMMAND, "unreadable record: " + e);
    }
  }

  private Command toCommand(JsonNode node, Operation operation, String id) throws CommandRejection {
    try {
      OperationParams params = mapper.treeToValue(node.get("data"), operation.paramsType());
      return new Command(
          node.get("id").asText(),
          node.get("source").asText(),
          operation,
          node.get("subject").asText(),
          Instant.parse(node.get("time").asText()),
          node.hasNonNull("expiresat") ? Instant.parse(node.get("expiresat").asText()) : null,
          params);
    } catch (JacksonException | RuntimeException e) {
      String reason = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
      String field = null;
      if (e instanceof ValueInstantiationException v
          && v.getCause() instanceof IllegalArgumentException refused) {
        // The parameters record refused a combination the schema cannot express: say only why.
        reason = refused.getMessage();
        field = "/data";
      }
      throw new CommandRejection(
          RunError.of(
              ErrorCode.INVALID_COMMAND, "invalid command: " + Printable.cut(reason, 300), field),
          id,
          operation.wireName());
    }
  }

  private static CommandRejection invalid(Schemas.Violation v, String id, String operation) {
    return new CommandRejection(
        RunError.of(ErrorCode.INVALID_COMMAND, v.toString(), v.pointer()), id, operation);
  }

  /** The id, only when it is well-formed: a hostile id is never echoed into results. */
  private static String readableId(JsonNode node) {
    String id = node.path("id").asText(null);
    return id != null && SAFE_ID.matcher(id).matches() ? id : null;
  }
}
