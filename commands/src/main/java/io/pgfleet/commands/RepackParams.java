package io.pgfleet.commands;

import java.util.List;

/**
 * Parameters of repack: pg_repack rebuilds tables online (the runbooks' alternative to VACUUM
 * FULL), holding an ACCESS EXCLUSIVE lock only briefly at its start and end.
 *
 * @param tables {@code table} or {@code schema.table} names
 * @param bloated instead of {@code tables}: the tables the target's last successful health check
 *     listed under dead-tuples
 * @param dryRun only say what would be repacked ({@code pg_repack --dry-run}); needs no confirm
 * @param confirm the target's name, required unless dryRun
 */
public record RepackParams(List<String> tables, Boolean bloated, Boolean dryRun, String confirm)
    implements OperationParams {
  public RepackParams {
    tables = tables == null ? List.of() : List.copyOf(tables);
    bloated = bloated != null && bloated;
    dryRun = dryRun != null && dryRun;
    if (tables.isEmpty() == !bloated) {
      throw new IllegalArgumentException("give either tables or bloated: true, not both");
    }
  }
}
