package io.pgfleet.worker.config;

import java.time.Duration;

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
    if (slot != null && !SlotNames.isSlotName(slot)) {
      throw new IllegalArgumentException(
          "pitr.stream.slot '" + slot + "' is not a slot name (lower case letters, digits, _)");
    }
  }

  /** The slot of target {@code target}: the configured one or {@code pgfleet_<target>}. */
  public String slotOf(String target) {
    return slot != null ? slot : SlotNames.derived(target);
  }
}
