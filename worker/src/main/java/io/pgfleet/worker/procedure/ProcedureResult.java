package io.pgfleet.worker.procedure;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.worker.ledger.CatalogChange;
import java.util.List;
import java.util.Map;

/**
 * What a successful run produced: complete artifacts, operation statistics, health findings, and
 * the catalog changes to apply with its terminal state (inside the fenced write).
 */
public record ProcedureResult(
    List<Artifact> artifacts,
    Map<String, Object> statistics,
    List<Finding> findings,
    List<CatalogChange> catalog) {
  public ProcedureResult {
    artifacts = List.copyOf(artifacts);
    statistics = Map.copyOf(statistics);
    findings = List.copyOf(findings);
    catalog = List.copyOf(catalog);
  }

  public ProcedureResult(
      List<Artifact> artifacts, Map<String, Object> statistics, List<Finding> findings) {
    this(artifacts, statistics, findings, List.of());
  }

  public ProcedureResult(List<Artifact> artifacts, Map<String, Object> statistics) {
    this(artifacts, statistics, List.of(), List.of());
  }

  /** This result, with the catalog changes it asks for. */
  public ProcedureResult changing(CatalogChange... changes) {
    return changing(List.of(changes));
  }

  /** This result, with the catalog changes it asks for. */
  public ProcedureResult changing(List<CatalogChange> changes) {
    return new ProcedureResult(artifacts, statistics, findings, changes);
  }
}
