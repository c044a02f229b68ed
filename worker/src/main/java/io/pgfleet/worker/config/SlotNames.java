package io.pgfleet.worker.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Replication slot names derived from target names: {@code pgfleet_<target>}, or, for a target name
 * that is not a slot name as it is (capitals, '-', too long), that name made one with a digest of
 * the target appended, so that {@code orders-db} and {@code orders_db} on one server never share a
 * slot.
 */
final class SlotNames {
  private SlotNames() {}

  static boolean isSlotName(String name) {
    return name.matches("[a-z0-9_]{1,63}");
  }

  static String derived(String target) {
    String plain = "pgfleet_" + target;
    if (isSlotName(plain)) {
      return plain;
    }
    String tag = "_" + digest(target);
    String derived = plain.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    int room = 63 - tag.length();
    return (derived.length() > room ? derived.substring(0, room) : derived) + tag;
  }

  private static String digest(String target) {
    try {
      byte[] sha256 =
          MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha256, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
