package io.pgfleet.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.cli.client.ResultPrinter;

/** One line for a run's event: its progress, its error, or who ran it. */
final class EventSummary {
  private EventSummary() {}

  static String of(JsonNode data) {
    if (data.has("progress")) {
      return ResultPrinter.bytes(data.at("/progress/bytesDone").asLong());
    }
    if (data.has("error")) {
      return data.at("/error/code").asText() + ": " + data.at("/error/message").asText();
    }
    if (data.has("original")) {
      return "already " + data.at("/original/outcome").asText();
    }
    return data.has("worker")
        ? "attempt " + data.path("attempt").asText("1") + " on " + data.get("worker").asText()
        : "";
  }
}
