package io.pgfleet.commands.wire;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Printable;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.result.RunError;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * What a command's text must be before anything stores it: strict UTF-8 without a byte order mark
 * or NUL, and strings (values and names) without control characters or lone surrogates. The ledger
 * keeps the command in a {@code jsonb} column, which refuses NUL and lone surrogates; the rest
 * would split log lines, S3 keys and headers.
 */
public final class WireText {
  private WireText() {}

  /** The record's bytes as text, or the reason they are not strict UTF-8 JSON text. */
  public static String decode(byte[] bytes) throws CommandRejection {
    return decode(bytes, "the record");
  }

  /**
   * A Kafka header's value as text, under the rules of the record's own text: strict UTF-8, no byte
   * order mark, no NUL, no control character, no lone surrogate.
   */
  public static String header(String name, byte[] value) throws CommandRejection {
    String what = "header " + Printable.quote(name);
    if (value == null) {
      throw new CommandRejection(
          RunError.of(ErrorCode.MALFORMED_COMMAND, what + " has no value"), null, null);
    }
    String text = decode(value, what);
    Optional<String> problem = problem(text);
    if (problem.isPresent()) {
      throw new CommandRejection(
          RunError.of(ErrorCode.INVALID_COMMAND, what + " " + problem.get()), null, null);
    }
    return text;
  }

  private static String decode(byte[] bytes, String what) throws CommandRejection {
    if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
      throw encoding(what + " starts with a UTF-8 byte order mark; send UTF-8 without one");
    }
    if (startsWith(bytes, 0xFE, 0xFF) || startsWith(bytes, 0xFF, 0xFE)) {
      throw encoding(what + " starts with a UTF-16 byte order mark; commands are UTF-8");
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    String text;
    try {
      text = utf8.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw encoding(what + " is not UTF-8 (" + e.getMessage() + "); commands are UTF-8");
    }
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      throw encoding(
          what
              + " holds a NUL byte at character "
              + nul
              + " (UTF-16 or UTF-32 text?); commands are UTF-8 without NUL");
    }
    return text;
  }

  /** The first string (name or value) that holds a character no command may hold, if any. */
  public static Optional<Schemas.Violation> firstUnfit(JsonNode node, String pointer) {
    Unfit found = unfit(node);
    if (found == null) {
      return Optional.empty();
    }
    String at = pointer + found.path;
    return Optional.of(new Schemas.Violation(found.inName && at.isEmpty() ? "/" : at, found.why));
  }

  /**
   * Where below a node the first unfit string is (its path built only once one is found, on the way
   * back up), and why; a bad name is reported at the object that holds it.
   */
  private static final class Unfit {
    private String path;
    private final String why;
    private final boolean inName;

    private Unfit(String why, boolean inName) {
      this.path = "";
      this.why = why;
      this.inName = inName;
    }

    private Unfit under(String step) {
      path = "/" + step + path;
      return this;
    }
  }

  private static Unfit unfit(JsonNode node) {
    if (node.isTextual()) {
      Optional<String> problem = problem(node.textValue());
      return problem.isPresent() ? new Unfit(problem.get(), false) : null;
    }
    if (node.isNumber() && node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
      return new Unfit("the number is out of range", false);
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Unfit found = unfit(node.get(i));
        if (found != null) {
          return found.under(String.valueOf(i));
        }
      }
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      Optional<String> badName = problem(field.getKey());
      if (badName.isPresent()) {
        return new Unfit(badName.get(), true);
      }
      Unfit found = unfit(field.getValue());
      if (found != null) {
        return found.under(escaped(field));
      }
    }
    return null;
  }

  /** Why a string cannot be part of a command: a control character or a lone surrogate. */
  static Optional<String> problem(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && isLow(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return Optional.of(
            String.format(
                "holds a lone surrogate \\u%04x at character %d; strings must be valid Unicode",
                (int) c, i));
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return Optional.of(
            String.format(
                "holds the control character \\u%04x at character %d; no field takes one",
                (int) c, i));
      }
    }
    return Optional.empty();
  }

  private static boolean isLow(char c) {
    return Character.isLowSurrogate(c);
  }

  private static String escaped(Map.Entry<String, JsonNode> field) {
    return field.getKey().replace("~", "~0").replace("/", "~1");
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static CommandRejection encoding(String message) {
    return new CommandRejection(RunError.of(ErrorCode.INVALID_ENCODING, message), null, null);
  }
}
