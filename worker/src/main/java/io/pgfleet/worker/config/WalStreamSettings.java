package io.pgfleet.worker.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * WAL streaming of a target by the worker fleet (config {@code pitr.stream}).
 *
 * @param enabled true: one worker of the fleet streams the target's WAL into its archive; false
 *     (written explicitly): the target leaves streaming, a worker drops its slot and lease
 * @param slot the physical replication slot on the target's server (default {@code
 *     pgfleet_<target>})
 * @param partialInterval how often the segment in progress is stored as {@code .partial}: how far
 *     the archive may trail the server
 */
public record WalStreamSettings(boolean enabled, String slot, Duration partialInterval) {
  public static final Duration DEFAULT_PARTIAL_INTERVAL = Duration.ofSeconds(5);

  public WalStreamSettings {
    partialInterval = partialInterval == null ? DEFAULT_PARTIAL_INTERVAL : partialInterval;
    if (partialInterval.isNegative() || partialInterval.isZero()) {
      throw new IllegalArgumentException("pitr.stream.partialInterval must be positive");
    }
    if (slot != null && !slot.matches("[a-z0-9_]{1,63}")) {
      throw new IllegalArgumentException(
          "pitr.stream.slot '" + slot + "' is not a slot name (lower case letters, digits, _)");
    }
  }

  /**
   * The slot of target {@code target}: the configured one or {@code pgfleet_<target>}. A target
   * name that is not a slot name as it is (capitals, '-', too long) gets a digest of the name
   * appended, so that {@code orders-db} and {@code orders_db} on one server never share a slot.
   */
  public String slotOf(String target) {
    if (slot != null) {
      return slot;
    }
    String plain = "pgfleet_" + target;
    if (plain.matches("[a-z0-9_]{1,63}")) {
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
