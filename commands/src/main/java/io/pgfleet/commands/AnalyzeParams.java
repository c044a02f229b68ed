package io.pgfleet.commands;

import java.util.List;

/**
 * Parameters of an ANALYZE (planner statistics).
 *
 * @param tables {@code table} or {@code schema.table} names; empty means the whole database
 */
public record AnalyzeParams(List<String> tables) implements OperationParams {
  public AnalyzeParams {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  public static AnalyzeParams defaults() {
    return new AnalyzeParams(null);
  }
}
