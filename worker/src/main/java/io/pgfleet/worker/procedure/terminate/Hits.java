package io.pgfleet.worker.procedure.terminate;

import io.pgfleet.commands.TerminateBackendsParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a terminate-backends run did to each session it matched: hit, spared, or refused. */
final class Hits {
  private static final int MAX_LISTED = 100;

  private final TerminateBackendsParams params;
  private final boolean seesAll;
  private final List<Map<String, Object>> sessions = new ArrayList<>();
  private int hit;
  private int spared;
  private final List<String> refused = new ArrayList<>();

  Hits(TerminateBackendsParams params, boolean seesAll) {
    this.params = params;
    this.seesAll = seesAll;
  }

  void spared(Backend b, String why) {
    spared++;
    add(b, "spared: " + why);
  }

  /** A session named by pid that the other filters leave out: listed, not counted. */
  void notMatched(Backend b) {
    add(b, "not hit: it does not pass the other filters given");
  }

  void wouldHit(Backend b) {
    hit++;
    add(b, "would be " + (params.terminates() ? "terminated" : "cancelled"));
  }

  void signalled(Backend b, String result) {
    if (result.startsWith("refused")) {
      refused.add("pid " + b.pid() + " (" + b.user() + "): " + result.substring(9));
    } else {
      hit++;
    }
    add(b, result);
  }

  private void add(Backend b, String result) {
    if (sessions.size() < MAX_LISTED) {
      sessions.add(b.item(result));
    }
  }

  void requireAllSignalled(String target, String user) throws ProcedureFailure {
    if (refused.isEmpty()) {
      return;
    }
    throw new ProcedureFailure(
        ErrorCode.PERMISSION_DENIED,
        hit
            + " session(s) of '"
            + target
            + "' were signalled, but the server refused "
            + refused
            + ": the target's user "
            + user
            + " may signal only its own role's sessions unless it is a member of"
            + " pg_signal_backend (never superuser sessions)");
  }

  Map<String, Object> statistics() {
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("action", params.action());
    stats.put("dryRun", params.dryRun());
    stats.put("matched", hit + spared + refused.size());
    stats.put(params.dryRun() ? "wouldHit" : "signalled", hit);
    stats.put("spared", spared);
    // Without pg_read_all_stats, other roles' sessions show no state or times: no time filter
    // can match them.
    stats.put("visibleSessions", seesAll ? "all" : "own role only");
    stats.put("sessions", sessions);
    return stats;
  }
}
