package io.pgfleet.dispatcher.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * How fresh a target's backups must be. A backup older than {@code rpo} is red; older than {@code
 * warnAfter} (by default 90% of the RPO), amber.
 *
 * @param verifiedRpo the same for the newest backup a restore drill verified
 */
public record TargetPolicy(Duration rpo, Duration warnAfter, Duration verifiedRpo) {
  public static final Duration DEFAULT_RPO = Duration.ofHours(26);

  public TargetPolicy {
    Objects.requireNonNull(rpo, "rpo");
    if (rpo.isNegative() || rpo.isZero()) {
      throw new IllegalArgumentException("rpo must be positive, not " + rpo);
    }
    warnAfter = warnAfter == null ? rpo.multipliedBy(9).dividedBy(10) : warnAfter;
    verifiedRpo = verifiedRpo == null ? rpo : verifiedRpo;
    if (warnAfter.compareTo(rpo) > 0) {
      throw new IllegalArgumentException("warnAfter (" + warnAfter + ") exceeds rpo (" + rpo + ")");
    }
  }

  public static TargetPolicy defaults() {
    return new TargetPolicy(DEFAULT_RPO, null, null);
  }

  public static TargetPolicy ofRpo(Duration rpo) {
    return new TargetPolicy(rpo, null, null);
  }

  /** Green, amber or red for something {@code age} old; red when there is none. */
  public Freshness freshness(Duration age, Duration limit) {
    if (age == null || age.compareTo(limit) > 0) {
      return Freshness.RED;
    }
    Duration warn = limit.equals(rpo) ? warnAfter : limit.multipliedBy(9).dividedBy(10);
    return age.compareTo(warn) > 0 ? Freshness.AMBER : Freshness.GREEN;
  }

  /** The colours of the status page. */
  public enum Freshness {
    GREEN,
    AMBER,
    RED;

    public String cssName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
