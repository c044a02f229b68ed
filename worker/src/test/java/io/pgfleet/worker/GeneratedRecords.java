package io.pgfleet.worker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Command records a careless or hostile producer could send: random bytes; commands with arbitrary
 * Unicode (NUL, lone surrogates, controls, BOMs...) in one string field or property name, escaped
 * or raw; valid commands in other encodings; sizes from 0 to the broker's 1 MiB limit.
 */
public final class GeneratedRecords {
  /** What the local broker takes in one record's value, with room for the key and framing. */
  public static final int MAX_VALUE = 1_048_400;

  private static final AtomicLong IDS = new AtomicLong();

  private static final List<String> FIELDS =
      List.of("id", "source", "type", "subject", "time", "action", "applicationName", "user");

  private static final Map<String, String> VALID =
      Map.of(
          "source", "urn:gen",
          "type", "io.pgfleet.command.terminate-backends.v1",
          // now: older commands expire (runs.maxCommandAge), later ones are refused (clockSkew)
          "time",
              java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
          "action", "cancel",
          "applicationName", "gen",
          "user", "nobody");

  private GeneratedRecords() {}

  /** Any record for {@code target}'s topic, mostly small, a few up to {@link #MAX_VALUE}. */
  public static Arbitrary<byte[]> records(String target) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, rawBytes()),
        net.jqwik.api.Tuple.of(10, mutatedCommands(target)),
        net.jqwik.api.Tuple.of(2, otherEncodings(target)),
        net.jqwik.api.Tuple.of(1, padded(target)));
  }

  static Arbitrary<byte[]> rawBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300);
  }

  /** A valid command with one string field (or a property's name) replaced. */
  static Arbitrary<byte[]> mutatedCommands(String target) {
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(40),
            Arbitraries.strings().withCharRange((char) 0, (char) 0xff).ofMaxLength(20),
            Arbitraries.of(
                "\u0000",
                "\ud800",
                "\udfff",
                "x\n",
                "\u001b[2J",
                "\u2028",
                "\ufeff",
                "\u0085",
                "\ud83d\ude00",
                "a".repeat(70),
                "urn:x\n",
                target,
                target + "\n"));
    Arbitrary<Boolean> escaped = Arbitraries.of(true, false);
    Arbitrary<String> field = Arbitraries.of(FIELDS).injectNull(0.1);
    return Combinators.combine(field, text, escaped)
        .as(
            (f, t, esc) -> {
              String literal = esc ? escape(t) : raw(t);
              String json =
                  f == null
                      ? command(target, "\"" + literal + "\":1,", null, null)
                      : command(target, "", f, literal);
              return esc ? json.getBytes(StandardCharsets.UTF_8) : rawUtf8(json);
            });
  }

  /** A valid command in UTF-16, UTF-32 or after a byte order mark. */
  static Arbitrary<byte[]> otherEncodings(String target) {
    return Arbitraries.of("UTF-16", "UTF-16LE", "UTF-32", "BOM")
        .map(
            e -> {
              String json = valid(target);
              if (e.equals("BOM")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
                return out.toByteArray();
              }
              return json.getBytes(java.nio.charset.Charset.forName(e));
            });
  }

  /** A valid command padded with whitespace to any size up to the broker's limit. */
  static Arbitrary<byte[]> padded(String target) {
    return Arbitraries.integers()
        .between(0, MAX_VALUE)
        .map(
            size -> {
              byte[] json = valid(target).getBytes(StandardCharsets.UTF_8);
              byte[] out = new byte[Math.max(size, json.length)];
              java.util.Arrays.fill(out, (byte) ' ');
              System.arraycopy(json, 0, out, 0, json.length);
              return out;
            });
  }

  /** A command the worker runs: a dry-run terminate-backends, signalling nothing. */
  public static String valid(String target) {
    return command(target, "", null, null);
  }

  /** The template with {@code field} replaced by {@code literal}, every other field valid. */
  private static String command(String target, String extra, String field, String literal) {
    String json =
        ("{\"specversion\":\"1.0\",\"id\":\"@id@\",\"source\":\"@source@\",\"type\":\"@type@\","
                + "\"subject\":\"@subject@\",\"time\":\"@time@\",\"data\":{@extra@"
                + "\"action\":\"@action@\",\"dryRun\":true,\"applicationName\":\"@applicationName@\","
                + "\"user\":\"@user@\"}}")
            .replace("@extra@", extra);
    if (field != null) {
      json = json.replace(placeholder(field), literal);
    }
    json = json.replace("@id@", nextId()).replace("@subject@", target);
    for (Map.Entry<String, String> e : VALID.entrySet()) {
      json = json.replace(placeholder(e.getKey()), e.getValue());
    }
    return json;
  }

  private static String placeholder(String field) {
    return "@" + field + "@";
  }

  private static String nextId() {
    return "gen-" + IDS.incrementAndGet();
  }

  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Quotes and backslashes escaped, everything else as it is (controls included: invalid JSON). */
  private static String raw(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** UTF-8, with a lone surrogate encoded as its three bytes (what Java's encoder refuses). */
  private static byte[] rawUtf8(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        out.write(0xE0 | (cp >> 12));
        out.write(0x80 | ((cp >> 6) & 0x3F));
        out.write(0x80 | (cp & 0x3F));
      } else {
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }
}
