package io.pgfleet.cli.client;

import io.pgfleet.commands.result.RunReport;
import java.util.Map;

/** The few numbers of a successful run worth a glance, per operation. */
final class Summaries {
  private Summaries() {}

  static String of(RunReport r) {
    Map<String, Object> s = r.statistics();
    if (s == null) {
      return "";
    }
    String text =
        switch (r.operation()) {
          case "backup" -> s.get("tables") + " tables, " + s.get("rows") + " rows";
          case "vacuum" ->
              s.get("tables")
                  + " tables, dead tuples "
                  + s.get("deadTuplesBefore")
                  + " -> "
                  + s.get("deadTuplesAfter")
                  + ", "
                  + s.get("pagesRemoved")
                  + " pages removed";
          case "analyze" -> s.get("tables") + " tables analyzed";
          case "reindex" -> reindex(s);
          case "health-check" ->
              s.get("status")
                  + ": "
                  + s.get("critical")
                  + " critical, "
                  + s.get("warning")
                  + " warning, "
                  + s.get("ok")
                  + " ok, "
                  + s.get("unknown")
                  + " unknown";
          case "terminate-backends" ->
              Boolean.TRUE.equals(s.get("dryRun"))
                  ? "dry run: would hit " + s.get("wouldHit") + ", spared " + s.get("spared")
                  : s.get("signalled")
                      + " "
                      + signalled(s.get("action"))
                      + ", spared "
                      + s.get("spared");
          case "base-backup" ->
              s.get("startLsn")
                  + " .. "
                  + s.get("stopLsn")
                  + ", timeline "
                  + s.get("timeline")
                  + ", "
                  + s.get("storedBytes")
                  + " bytes stored";
          case "restore-pitr" -> restorePitr(s);
          case "check-integrity" ->
              s.get("tablesChecked")
                  + " tables checked, "
                  + s.get("corruptRelations")
                  + " corrupt"
                  + (Boolean.TRUE.equals(s.get("complete"))
                      ? ""
                      : ", " + s.get("tablesLeft") + " left for the next run");
          case "repack" ->
              (Boolean.TRUE.equals(s.get("dryRun")) ? "dry run: " : "")
                  + count(s.get("tables"))
                  + " tables, "
                  + s.get("bytesBefore")
                  + " -> "
                  + s.get("bytesAfter")
                  + " bytes";
          case "reset-statement-stats" -> statementStats(s);
          default -> null;
        };
    return text == null ? "" : "  (" + text + ")";
  }

  private static String restorePitr(Map<String, Object> s) {
    if (!Boolean.TRUE.equals(s.get("started"))) {
      return "prepared " + s.get("dataDirectory") + "; start it with: " + s.get("startCommand");
    }
    return switch (String.valueOf(s.get("serverState"))) {
      case "paused" ->
          "paused at "
              + s.get("reachedLsn")
              + " ("
              + s.get("reachedTime")
              + "), read-only, listening on port "
              + s.get("port")
              + "; "
              + s.get("nextSteps");
      case "stopped" -> s.get("nextSteps").toString();
      default ->
          "reached "
              + s.get("reachedLsn")
              + " at "
              + s.get("reachedTime")
              + ", listening on port "
              + s.get("port");
    };
  }

  private static String reindex(Map<String, Object> s) {
    String skipped =
        s.containsKey("indexesSkipped") ? ", " + s.get("indexesSkipped") + " not flagged" : "";
    if (Boolean.TRUE.equals(s.get("dryRun"))) {
      return "dry run: would rebuild " + count(s.get("wouldRebuild")) + skipped;
    }
    if (s.containsKey("indexesSkipped")) {
      return s.get("indexesRebuilt")
          + " bloated indexes rebuilt, "
          + s.get("bytesBefore")
          + " -> "
          + s.get("bytesAfter")
          + " bytes"
          + skipped;
    }
    return s.get("indexesRebuilt")
        + " indexes rebuilt, invalid "
        + count(s.get("invalidBefore"))
        + " -> "
        + count(s.get("invalidAfter"));
  }

  private static String statementStats(Map<String, Object> s) {
    if (s.get("callsBelow") == null) {
      return Boolean.TRUE.equals(s.get("dryRun"))
          ? "dry run: " + s.get("statementsBefore") + " statements would be reset"
          : s.get("statementsReset") + " statements reset";
    }
    return (Boolean.TRUE.equals(s.get("dryRun"))
            ? "dry run: " + s.get("statementsWouldBeReset") + " of "
            : s.get("statementsReset") + " of ")
        + s.get("statementsBefore")
        + " statements called fewer than "
        + s.get("callsBelow")
        + " times"
        + (Boolean.TRUE.equals(s.get("dryRun")) ? " would be reset" : " reset");
  }

  private static int count(Object list) {
    return list instanceof java.util.List<?> l ? l.size() : 0;
  }

  /** "terminate" and "cancel" as what happened to the sessions. */
  static String signalled(Object action) {
    return io.pgfleet.commands.TerminateBackendsParams.CANCEL.equals(action)
        ? "cancelled"
        : "terminated";
  }
}
