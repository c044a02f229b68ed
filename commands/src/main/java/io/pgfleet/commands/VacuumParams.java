package io.pgfleet.commands;

import java.util.List;

/**
 * Parameters of a VACUUM. Defaults match the runbooks' weekly {@code VACUUM ANALYZE}.
 *
 * @param tables {@code table} or {@code schema.table} names; empty means the whole database
 * @param analyze also update planner statistics (default true)
 * @param freeze freeze every row version (default false)
 * @param full rewrite the tables under an ACCESS EXCLUSIVE lock (default false); the target's
 *     config must allow it as well
 */
public record VacuumParams(List<String> tables, Boolean analyze, Boolean freeze, Boolean full)
    implements OperationParams {
  public VacuumParams {
    tables = tables == null ? List.of() : List.copyOf(tables);
    analyze = analyze == null || analyze;
    freeze = freeze != null && freeze;
    full = full != null && full;
  }

  public static VacuumParams defaults() {
    return new VacuumParams(null, null, null, null);
  }
}
