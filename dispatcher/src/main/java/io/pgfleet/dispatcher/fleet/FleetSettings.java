package io.pgfleet.dispatcher.fleet;

import java.util.Map;

/**
 * Which targets make up the fleet and what each promises.
 *
 * @param discover also count every target that has a command topic on Kafka (workers create one per
 *     configured target)
 * @param targets targets named in the dispatcher's config, with their policy
 */
public record FleetSettings(
    boolean discover, TargetPolicy defaults, Map<String, TargetPolicy> targets) {
  public FleetSettings {
    targets = Map.copyOf(targets);
  }

  public TargetPolicy policy(String target) {
    return targets.getOrDefault(target, defaults);
  }
}
