package io.pgfleet.commands.wire;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A media type as in a {@code content-type} header or a {@code datacontenttype} attribute (RFC 9110
 * section 8.3.1): type and subtype compared without case, parameters allowed.
 */
record MediaType(String type, String subtype, Map<String, String> parameters) {
  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
  private static final Pattern ESSENCE = Pattern.compile("\\s*(" + TOKEN + ")/(" + TOKEN + ")\\s*");
  private static final Pattern PARAMETER =
      Pattern.compile(";\\s*(" + TOKEN + ")=(" + TOKEN + "|\"(?:[^\"\\\\]|\\\\.)*\")\\s*");

  /** The media type, or empty when the text is not one. */
  static Optional<MediaType> parse(String text) {
    Matcher essence = ESSENCE.matcher(text);
    if (!essence.lookingAt()) {
      return Optional.empty();
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    Matcher parameter = PARAMETER.matcher(text);
    int at = essence.end();
    while (at < text.length()) {
      if (!parameter.region(at, text.length()).lookingAt()) {
        return Optional.empty();
      }
      parameters.put(parameter.group(1).toLowerCase(Locale.ROOT), unquoted(parameter.group(2)));
      at = parameter.end();
    }
    return Optional.of(
        new MediaType(
            essence.group(1).toLowerCase(Locale.ROOT),
            essence.group(2).toLowerCase(Locale.ROOT),
            parameters));
  }

  boolean is(String type, String subtype) {
    return this.type.equals(type) && this.subtype.equals(subtype);
  }

  /** The charset parameter, if any, in lower case. */
  Optional<String> charset() {
    return Optional.ofNullable(parameters.get("charset")).map(c -> c.toLowerCase(Locale.ROOT));
  }

  /** Whether the charset parameter is absent or says UTF-8, the only text commands may be. */
  boolean utf8() {
    return charset().map(c -> c.equals("utf-8") || c.equals("utf8")).orElse(true);
  }

  private static String unquoted(String value) {
    return value.startsWith("\"")
        ? value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1")
        : value;
  }
}
