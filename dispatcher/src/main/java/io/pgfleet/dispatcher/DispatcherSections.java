package io.pgfleet.dispatcher;

import io.pgfleet.commands.Durations;
import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.api.Role;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.runtime.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The dispatcher's own sections as written; the schema has checked their keys and types. */
final class DispatcherSections {
  private DispatcherSections() {}

  record Token(String name, String role, String sha256, Secret token) {
    ApiToken settings() {
      if ((sha256 == null) == (token == null)) {
        throw new IllegalArgumentException(
            "give exactly one of sha256 or token ({env: VAR} or {file: PATH})");
      }
      Role r = Role.fromConfigName(role).orElseThrow();
      return sha256 != null
          ? ApiToken.ofHash(name, r, sha256)
          : ApiToken.ofSecret(name, r, token.reveal());
    }
  }

  record Api(List<Token> tokens) {}

  /** {@code fleet:}, and a target's rpo, warnAfter and verifiedRpo (a fleet file's targets). */
  record Policy(Duration rpo, Duration warnAfter, Duration verifiedRpo) {
    TargetPolicy settings(Duration defaultRpo) {
      return new TargetPolicy(rpo == null ? defaultRpo : rpo, warnAfter, verifiedRpo);
    }
  }

  record Fleet(
      Boolean discover,
      Duration refresh,
      Duration rpo,
      Duration warnAfter,
      Duration verifiedRpo,
      Map<String, Policy> targets) {}

  record Scheduling(Duration missedHorizon, Duration tick) {}

  record Signing(String signer, Secret privateKey) {}

  static Duration duration(String text) {
    return Durations.parse(text);
  }
}
