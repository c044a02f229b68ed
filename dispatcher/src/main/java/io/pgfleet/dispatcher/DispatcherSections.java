package io.pgfleet.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.Durations;
import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.api.Role;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.schedule.CronCalendar;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.TargetSelector;
import io.pgfleet.runtime.config.Secret;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
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
      Duration rpo,
      Duration warnAfter,
      Duration verifiedRpo,
      Map<String, Policy> targets) {}

  record Scheduling(Duration missedHorizon, Duration tick) {}

  record Signing(String signer, Secret privateKey) {}

  record ScheduleFile(
      String name,
      String cron,
      String zone,
      JsonNode targets,
      String operation,
      ObjectNode params,
      Duration window) {
    Schedule schedule() {
      ZoneId z;
      try {
        z = ZoneId.of(zone == null ? "UTC" : zone);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("zone: unknown time zone '" + zone + "'");
      }
      return new Schedule(name, CronCalendar.parse(cron, z), selector(), operation, params, window);
    }

    private TargetSelector selector() {
      if (targets.isTextual() && targets.asText().equals("all")) {
        return TargetSelector.everyTarget();
      }
      List<String> patterns = new ArrayList<>();
      if (targets.isArray()) {
        targets.forEach(n -> patterns.add(n.asText()));
      } else {
        patterns.add(targets.asText());
      }
      return TargetSelector.of(patterns);
    }
  }

  static Duration duration(String text) {
    return Durations.parse(text);
  }
}
