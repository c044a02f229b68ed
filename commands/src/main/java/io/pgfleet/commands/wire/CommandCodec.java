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
 * Commands as CloudEvents 1.0 in JSON, in structured or binary mode ({@link KafkaBinding}); they
 * are encoded in structured mode. Decoding checks, in order: the mode, size, strict UTF-8 ({@link
 * WireText}) of the value and the headers read, JSON syntax, characters in every string, the data's
 * media type, the envelope schema, the operation, the operation's data schema; the first problem
 * found is the rejection's reason.
 */
public final class CommandCodec {
  public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
  public static final int MAX_BYTES = 64 * 1024;
  private static final String ENVELOPE_SCHEMA = "command.schema.json";
  private static final String JSON = "application/json";
  private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private final ObjectMapper mapper = Json.mapper();
  private final KafkaBinding binding = new KafkaBinding(mapper);

  public byte[] encode(Command command) {
    ObjectNode event = mapper.createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", command.id());
    event.put("source", command.source());
    event.put("type", command.operation().commandType());
    event.put("subject", command.target());
    event.put("time", command.time().toString());
    event.put("datacontenttype", JSON);
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

  /**
   * A decoded command with its signature, if it carries one, and the event as JSON text (in binary
   * mode, the attributes from the headers with the value as {@code data}) for the ledger.
   */
  public record Received(Command command, Optional<Signed> signature, String json) {}

  /** The signature attributes of a command and the exact content they claim to cover. */
  public record Signed(String signer, String signature, byte[] content) {}

  /** Decodes and validates a structured-mode command, keeping what a signature check needs. */
  public Received decodeReceived(byte[] bytes) throws CommandRejection {
    return decodeReceived(CommandRecord.structured(bytes));
  }

  /**
   * Decodes and validates a command record in either mode of the CloudEvents Kafka binding; a
   * command without {@code time} takes the time it was received.
   */
  public Received decodeReceived(CommandRecord record) throws CommandRejection {
    KafkaBinding.Event event = binding.read(record);
    JsonNode node = event.node();
    String id = readableId(node);
    String type = node.path("type").asText(null);
    String operationName = Operation.wireNameOf(type).orElse(null);

    Optional<Schemas.Violation> unfit = WireText.firstUnfit(node, "");
    if (unfit.isPresent()) {
      throw invalid(unfit.get(), id, operationName);
    }

    checkDataContentType(node, id, operationName);
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
    return new Received(toCommand(node, operation, id, record.receivedAt()), signed, event.text());
  }

  /** Media-type parameters are allowed; the data is JSON, and its text UTF-8. */
  private static void checkDataContentType(JsonNode node, String id, String operation)
      throws CommandRejection {
    JsonNode value = node.get("datacontenttype");
    if (value == null || !value.isTextual() || value.textValue().equals(JSON)) {
      return; // absent, not text (the envelope schema says so next), or what encoders write
    }
    Optional<MediaType> media = MediaType.parse(value.textValue());
    if (media.isEmpty() || !media.get().is("application", "json")) {
      throw new CommandRejection(
          RunError.of(
              ErrorCode.INVALID_COMMAND,
              "datacontenttype "
                  + Printable.quote(value.textValue())
                  + ": a command's data is JSON, application/json",
              "/datacontenttype"),
          id,
          operation);
    }
    if (!media.get().utf8()) {
      throw new CommandRejection(
          RunError.of(
              ErrorCode.INVALID_ENCODING,
              "datacontenttype says charset="
                  + Printable.cut(media.get().charset().orElse(""), 40)
                  + "; commands are UTF-8 (charset=utf-8 or none)",
              "/datacontenttype"),
          id,
          operation);
    }
  }

  private Command toCommand(JsonNode node, Operation operation, String id, Instant receivedAt)
      throws CommandRejection {
    try {
      OperationParams params = mapper.treeToValue(node.get("data"), operation.paramsType());
      return new Command(
          node.get("id").asText(),
          node.get("source").asText(),
          operation,
          node.get("subject").asText(),
          node.hasNonNull("time") ? WireTime.parse(node.get("time").asText()) : receivedAt,
          node.hasNonNull("expiresat") ? WireTime.parse(node.get("expiresat").asText()) : null,
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
