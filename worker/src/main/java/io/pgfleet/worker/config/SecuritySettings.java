package io.pgfleet.worker.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Who may ask for what.
 *
 * @param signers trusted producers by key id
 * @param signaturePolicy the default for targets that do not set their own
 * @param maxSignedValidity a required signature is accepted only on a command whose {@code
 *     expiresat} is at most this long after its {@code time}, so a captured command cannot be
 *     replayed later
 * @param clockSkew how far ahead of the worker's clock a command's {@code time} may be; further is
 *     refused
 */
public record SecuritySettings(
    Map<String, TrustedSigner> signers,
    SignaturePolicy signaturePolicy,
    Duration maxSignedValidity,
    Duration clockSkew) {
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofMinutes(5);

  public SecuritySettings {
    signers = Map.copyOf(signers);
    clockSkew = clockSkew == null ? DEFAULT_CLOCK_SKEW : clockSkew;
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("security.clockSkew must not be negative");
    }
  }

  public SecuritySettings(
      Map<String, TrustedSigner> signers,
      SignaturePolicy signaturePolicy,
      Duration maxSignedValidity) {
    this(signers, signaturePolicy, maxSignedValidity, DEFAULT_CLOCK_SKEW);
  }

  public static SecuritySettings defaults() {
    return new SecuritySettings(Map.of(), SignaturePolicy.DESTRUCTIVE, Duration.ofHours(1));
  }

  public Optional<TrustedSigner> signer(String id) {
    return Optional.ofNullable(id).map(signers::get);
  }
}
