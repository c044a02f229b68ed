package io.pgfleet.dispatcher.fleet;

import java.time.Duration;
import java.util.Map;

/**
 * Which targets make up the fleet and what each promises.
 *
 * @param discover also count every target that has a command topic on Kafka (workers create one per
 *     configured target)
 * @param refresh how often the command topics are listed again when discovering; default 10 s
 * @param targets targets named in the dispatcher's config, with their policy
 */
public record FleetSettings(
    boolean discover, Duration refresh, TargetPolicy defaults, Map<String, TargetPolicy> targets) {
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(10);

  public FleetSettings {
    refresh = refresh == null ? DEFAULT_REFRESH : refresh;
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("refresh must be positive, not " + refresh);
    }
    targets = Map.copyOf(targets);
  }

  public FleetSettings(boolean discover, TargetPolicy defaults, Map<String, TargetPolicy> targets) {
    this(discover, DEFAULT_REFRESH, defaults, targets);
  }

  public TargetPolicy policy(String target) {
    return targets.getOrDefault(target, defaults);
  }
}
