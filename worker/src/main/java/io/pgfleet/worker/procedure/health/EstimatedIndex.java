package io.pgfleet.worker.procedure.health;

import io.pgfleet.commands.result.Finding.Status;

/**
 * A btree index as {@link BtreeBloatQuery} estimates it, judged by the target's {@code index-bloat}
 * and {@code index-bloat-bytes} thresholds.
 *
 * @param name {@code schema.index}, for reports
 * @param quoted {@code quote_ident}'ed {@code schema.index}, for SQL
 * @param bloatBytes null when not estimated (statistics missing)
 */
public record EstimatedIndex(
    String name,
    String schema,
    String index,
    String quoted,
    String table,
    long tableOid,
    long bytes,
    Long bloatBytes,
    Double bloatPercent,
    Status status) {

  /** Estimated bloated past the thresholds: the health check gives it a REINDEX. */
  public boolean flagged() {
    return status != Status.OK;
  }

  public boolean estimated() {
    return bloatBytes != null;
  }
}
