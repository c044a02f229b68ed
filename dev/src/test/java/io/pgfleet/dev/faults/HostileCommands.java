package io.pgfleet.dev.faults;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Generates malformed and hostile commands from a fixed seed: garbage, wrong types, oversized
 * payloads, unicode tricks, identifier injection, path traversal, unknown operations, forged
 * signatures, duplicate keys, deep nesting and misrouting.
 */
final class HostileCommands {
  private final String target;
  private final Random random;
  private final List<Supplier<String>> kinds;
  private int n;

  HostileCommands(String target, long seed) {
    this.target = target;
    this.random = new Random(seed);
    this.kinds =
        List.of(
            this::garbage,
            () ->
                envelope(
                    quote("id-" + n),
                    "\"io.pgfleet.command.backup.v1\"",
                    quote(target),
                    "{\"compressionLevel\":\"max\"}"),
            () ->
                envelope(
                    String.valueOf(n), "\"io.pgfleet.command.backup.v1\"", quote(target), "{}"),
            () ->
                envelope(
                    quote("id-" + n),
                    "\"io.pgfleet.command.backup.v1\"",
                    quote(target),
                    "\"DROP TABLE orders\""),
            () ->
                envelope(
                    quote("id-" + n),
                    "\"io.pgfleet.command.backup.v1\"",
                    quote(target + "\u202e"),
                    "{}"),
            () ->
                envelope(
                    quote("id-" + n), "\"io.pgfleet.command.backup.v1\"", quote("оrder_db"), "{}"),
            () ->
                envelope(
                    quote("id-" + n),
                    "\"io.pgfleet.command.backup.v1\"",
                    quote(target + "; DROP DATABASE x"),
                    "{}"),
            () ->
                envelope(
                    quote("id-" + n),
                    "\"io.pgfleet.command.backup.v1\"",
                    quote("../../etc/passwd"),
                    "{}"),
            () ->
                envelope(
                    quote("../../" + n), "\"io.pgfleet.command.backup.v1\"", quote(target), "{}"),
            () ->
                envelope(
                    quote("id-" + n),
                    "\"io.pgfleet.command.sql.v1\"",
                    quote(target),
                    "{\"sql\":\"DELETE FROM x\"}"),
            () ->
                envelope(
                    quote("id-" + n),
                    "\"io.pgfleet.command.backup.v1\"",
                    quote(target),
                    "{\"sql\":\"SELECT pg_sleep(60)\"}"),
            this::forgedSignature,
            () -> "{\"specversion\":\"1.0\",\"id\":\"a\",\"id\":\"b\"}",
            () -> "[".repeat(5000) + "]".repeat(5000),
            () ->
                envelope(
                    quote("id-" + n),
                    "\"io.pgfleet.command.backup.v1\"",
                    quote(target),
                    "{\"x\":\"" + "A".repeat(70_000) + "\"}"),
            () ->
                envelope(
                    quote("id-" + n),
                    "\"io.pgfleet.command.backup.v1\"",
                    quote("payment_db"),
                    "{}"),
            () -> "",
            () -> "null",
            () ->
                envelope(quote("id-" + n), "\"io.pgfleet.command.backup.v1\"", quote(target), "{}")
                    .replace("2026-11-21T02:00:00Z", "not-a-time"));
  }

  byte[] next() {
    n++;
    return kinds.get(random.nextInt(kinds.size())).get().getBytes(StandardCharsets.UTF_8);
  }

  private String garbage() {
    byte[] b = new byte[1 + random.nextInt(512)];
    random.nextBytes(b);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private String forgedSignature() {
    byte[] sig = new byte[64];
    random.nextBytes(sig);
    String env =
        envelope(quote("forged-" + n), "\"io.pgfleet.command.backup.v1\"", quote(target), "{}");
    return env.substring(0, env.length() - 1)
        + ",\"signer\":\"ops\",\"signature\":\""
        + Base64.getEncoder().encodeToString(sig)
        + "\"}";
  }

  private static String envelope(String id, String type, String subject, String data) {
    return "{\"specversion\":\"1.0\",\"id\":"
        + id
        + ",\"source\":\"urn:hostile\",\"type\":"
        + type
        + ",\"subject\":"
        + subject
        + ",\"time\":\"2026-11-21T02:00:00Z\",\"data\":"
        + data
        + "}";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
