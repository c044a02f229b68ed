package io.pgfleet.commands.wire;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Printable;
import io.pgfleet.commands.result.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;

/**
 * The CloudEvents Kafka protocol binding, read side: turns a record into the event's JSON object.
 * The {@code content-type} header decides the mode. {@code application/cloudevents+json} (or any
 * {@code application/cloudevents} type) is structured mode: the value is the whole event. Any other
 * content type, or none with {@code ce_} headers, is binary mode: each {@code ce_<name>} header is
 * an attribute, {@code content-type} is {@code datacontenttype} and the value is {@code data}. A
 * record with neither is read as structured, as plain JSON producers send it.
 */
final class KafkaBinding {
  static final String ATTRIBUTE_PREFIX = "ce_";
  private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[a-z0-9]{1,20}");
  private static final Set<String> NOT_FROM_HEADERS =
      Set.of("data", "data_base64", "datacontenttype");

  /** The event as a JSON object and its text as the ledger keeps it. */
  record Event(ObjectNode node, String text) {}

  private final ObjectMapper mapper;

  KafkaBinding(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  Event read(CommandRecord record) throws CommandRejection {
    Optional<String> contentType = contentType(record.headers());
    Optional<MediaType> media = contentType.flatMap(MediaType::parse);
    if (contentType.isPresent() && media.isEmpty()) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND,
          "the content-type header " + Printable.quote(contentType.get()) + " is not a media type");
    }
    if (media.isPresent()
        && media.get().type().equals("application")
        && media.get().subtype().startsWith("cloudevents")) {
      checkStructuredFormat(media.get());
      return structured(record);
    }
    if (media.isPresent() || hasAttributeHeaders(record.headers())) {
      return binary(record, contentType);
    }
    return structured(record);
  }

  private Event structured(CommandRecord record) throws CommandRejection {
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      throw CommandRejection.of(ErrorCode.MALFORMED_COMMAND, "the record has no value");
    }
    checkSize(value.length);
    String text = WireText.decode(value);
    JsonNode node = parse(text, "the record");
    if (node == null || !node.isObject()) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND, "the record is not a JSON object (a CloudEvent)");
    }
    return new Event((ObjectNode) node, text);
  }

  private Event binary(CommandRecord record, Optional<String> contentType) throws CommandRejection {
    byte[] value = record.value();
    int size = value == null ? 0 : value.length;
    for (Header header : record.headers()) {
      size += header.key().length() + (header.value() == null ? 0 : header.value().length);
    }
    checkSize(size);
    ObjectNode event = mapper.createObjectNode();
    Set<String> seen = new HashSet<>();
    for (Header header : record.headers()) {
      if (!header.key().startsWith(ATTRIBUTE_PREFIX)) {
        continue;
      }
      String name = attributeName(header.key());
      if (!seen.add(name)) {
        throw CommandRejection.of(
            ErrorCode.MALFORMED_COMMAND,
            "binary mode: the header "
                + Printable.quote(header.key())
                + " appears more than once; each attribute is one header");
      }
      event.put(name, WireText.header(header.key(), header.value()));
    }
    contentType.ifPresent(type -> event.put("datacontenttype", type));
    if (value == null || value.length == 0) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND,
          "binary mode: the record's value is the command's data, a JSON object ({} for the"
              + " operation's defaults); this record has none");
    }
    JsonNode data = parse(WireText.decode(value), "the record's value (the data)");
    if (data == null || !data.isObject()) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND,
          "binary mode: the record's value is the command's data and must be a JSON object");
    }
    if (!event.has("specversion") && data.has("specversion")) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND,
          "binary mode (content-type "
              + Printable.quote(contentType.orElse("none"))
              + ") has no ce_specversion header, and the value looks like a whole event: send it"
              + " with content-type application/cloudevents+json (structured mode)");
    }
    event.set("data", data);
    try {
      return new Event(event, mapper.writeValueAsString(event));
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write a binary-mode command as JSON", e);
    }
  }

  private static String attributeName(String key) throws CommandRejection {
    String name = key.substring(ATTRIBUTE_PREFIX.length());
    if (!ATTRIBUTE_NAME.matcher(name).matches()) {
      throw CommandRejection.of(
          ErrorCode.INVALID_COMMAND,
          "binary mode: the header "
              + Printable.quote(key)
              + " does not name a CloudEvents attribute (1 to 20 lowercase letters or digits)");
    }
    if (NOT_FROM_HEADERS.contains(name)) {
      throw CommandRejection.of(
          ErrorCode.INVALID_COMMAND,
          "binary mode: the header "
              + Printable.quote(key)
              + " is not allowed; the record's value is the data and the content-type header"
              + " its datacontenttype");
    }
    return name;
  }

  private static void checkStructuredFormat(MediaType media) throws CommandRejection {
    if (media.subtype().startsWith("cloudevents-batch")) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND,
          "batch mode is not part of the Kafka binding: send one command per record");
    }
    if (!media.subtype().equals("cloudevents+json") && !media.subtype().equals("cloudevents")) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND,
          "structured mode takes the JSON event format only: content-type"
              + " application/cloudevents+json, not application/"
              + Printable.cut(media.subtype(), 60));
    }
    if (!media.utf8()) {
      throw CommandRejection.of(
          ErrorCode.INVALID_ENCODING,
          "the content-type header says charset="
              + Printable.cut(media.charset().orElse(""), 40)
              + "; commands are UTF-8 (charset=utf-8 or none)");
    }
  }

  private static Optional<String> contentType(org.apache.kafka.common.header.Headers headers)
      throws CommandRejection {
    List<Header> found = new ArrayList<>();
    for (Header header : headers) {
      if (header.key().equalsIgnoreCase(Headers.CONTENT_TYPE)) {
        found.add(header);
      }
    }
    if (found.size() > 1) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND,
          "the record has " + found.size() + " content-type headers; it may have one");
    }
    if (found.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(WireText.header(found.get(0).key(), found.get(0).value()));
  }

  private static boolean hasAttributeHeaders(org.apache.kafka.common.header.Headers headers) {
    for (Header header : headers) {
      if (header.key().startsWith(ATTRIBUTE_PREFIX)) {
        return true;
      }
    }
    return false;
  }

  private static void checkSize(int bytes) throws CommandRejection {
    if (bytes > CommandCodec.MAX_BYTES) {
      throw CommandRejection.of(
          ErrorCode.COMMAND_TOO_LARGE,
          "the command is " + bytes + " bytes; the limit is " + CommandCodec.MAX_BYTES);
    }
  }

  private JsonNode parse(String text, String what) throws CommandRejection {
    try {
      return mapper.readTree(text);
    } catch (JacksonException e) {
      throw CommandRejection.of(
          ErrorCode.MALFORMED_COMMAND,
          what + " is not valid JSON: " + Printable.clean(e.getOriginalMessage()));
    } catch (java.io.IOException e) {
      throw CommandRejection.of(ErrorCode.MALFORMED_COMMAND, "unreadable record: " + e);
    }
  }
}
