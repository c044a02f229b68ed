package io.pgfleet.worker.config;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.signing.Ed25519Keys;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The {@code security:} section as written. */
record SecurityFile(
    String signaturePolicy,
    Duration maxSignedValidity,
    Duration clockSkew,
    Map<String, Signer> trustedSigners) {

  record Signer(String publicKey, List<String> operations, List<String> targets) {
    TrustedSigner settings(String id) {
      return new TrustedSigner(
          id,
          Ed25519Keys.publicKey(publicKey),
          operations == null ? java.util.Set.of() : SecurityFile.operations(operations),
          targets == null || targets.isEmpty() ? List.of("*") : targets);
    }
  }

  SecuritySettings settings(Map<String, TrustedSigner> signers) {
    SecuritySettings d = SecuritySettings.defaults();
    return new SecuritySettings(
        signers,
        signaturePolicy == null ? d.signaturePolicy() : policy(signaturePolicy),
        maxSignedValidity == null ? d.maxSignedValidity() : maxSignedValidity,
        clockSkew == null ? d.clockSkew() : clockSkew);
  }

  Map<String, Signer> signers() {
    return trustedSigners == null ? Map.of() : new LinkedHashMap<>(trustedSigners);
  }

  static SignaturePolicy policy(String text) {
    return text == null ? null : SignaturePolicy.valueOf(text.toUpperCase(Locale.ROOT));
  }

  /** Wire names as operations; the schema has reported (and removed) any unknown one. */
  static java.util.Set<Operation> operations(List<String> names) {
    return names.stream()
        .filter(java.util.Objects::nonNull)
        .flatMap(n -> Operation.fromWireName(n).stream())
        .collect(Collectors.toSet());
  }
}
