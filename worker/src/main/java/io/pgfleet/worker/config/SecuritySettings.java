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
 */
public record SecuritySettings(
    Map<String, TrustedSigner> signers,
    SignaturePolicy signaturePolicy,
    Duration maxSignedValidity) {

  public SecuritySettings {
    signers = Map.copyOf(signers);
  }

  public static SecuritySettings defaults() {
    return new SecuritySettings(Map.of(), SignaturePolicy.DESTRUCTIVE, Duration.ofHours(1));
  }

  public Optional<TrustedSigner> signer(String id) {
    return Optional.ofNullable(id).map(signers::get);
  }
}
