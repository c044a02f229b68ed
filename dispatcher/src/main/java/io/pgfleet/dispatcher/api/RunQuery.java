package io.pgfleet.dispatcher.api;

import io.pgfleet.commands.TargetName;
import io.pgfleet.commands.result.RunState;
import io.pgfleet.dispatcher.fleet.RunFilter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/runs?target=&operation=&status=&from=&to=&limit=}: the filters of a run list.
 */
final class RunQuery {
  private static final Set<String> PARAMETERS =
      Set.of("target", "operation", "status", "from", "to", "limit");

  private RunQuery() {}

  static RunFilter parse(String rawQuery) {
    Map<String, String> q = QueryString.parameters(rawQuery);
    for (String name : q.keySet()) {
      if (!PARAMETERS.contains(name)) {
        throw invalid(name, "unknown parameter; allowed: " + String.join(", ", PARAMETERS));
      }
    }
    RunState status = null;
    if (q.containsKey("status")) {
      status =
          RunState.fromName(q.get("status"))
              .orElseThrow(
                  () ->
                      invalid(
                          "status",
                          "one of "
                              + Arrays.stream(RunState.values())
                                  .map(RunState::sqlName)
                                  .collect(Collectors.joining(", "))));
    }
    int limit = 100;
    if (q.containsKey("limit")) {
      try {
        limit = Integer.parseInt(q.get("limit"));
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > RunFilter.MAX_LIMIT) {
        throw invalid("limit", "a whole number from 1 to " + RunFilter.MAX_LIMIT);
      }
    }
    if (q.containsKey("target") && !TargetName.isValid(q.get("target"))) {
      throw invalid("target", "a target name: 1-63 letters, digits, '_' or '-'");
    }
    if (q.containsKey("operation") && !q.get("operation").matches("[a-z][a-z-]{0,39}")) {
      throw invalid("operation", "an operation name such as backup or verify-backup");
    }
    return new RunFilter(
        q.get("target"), q.get("operation"), status, instant(q, "from"), instant(q, "to"), limit);
  }

  private static Instant instant(Map<String, String> q, String name) {
    if (!q.containsKey(name)) {
      return null;
    }
    try {
      return Instant.parse(q.get(name));
    } catch (RuntimeException e) {
      throw invalid(name, "a date-time such as 2026-11-21T02:00:00Z");
    }
  }

  private static Problem.Answer invalid(String parameter, String detail) {
    return Problem.invalid("invalid-query", "Invalid query", FieldError.query(parameter, detail))
        .answer();
  }
}
