package io.pgfleet.worker.procedure;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Finding;
import java.util.List;
import java.util.Map;

/** What a successful run produced: complete artifacts, operation statistics, health findings. */
public record ProcedureResult(
    List<Artifact> artifacts, Map<String, Object> statistics, List<Finding> findings) {
  public ProcedureResult {
    artifacts = List.copyOf(artifacts);
    statistics = Map.copyOf(statistics);
    findings = List.copyOf(findings);
  }

  public ProcedureResult(List<Artifact> artifacts, Map<String, Object> statistics) {
    this(artifacts, statistics, List.of());
  }
}
