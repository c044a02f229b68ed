package io.pgfleet.worker.procedure;

import io.pgfleet.commands.result.Artifact;
import java.util.List;
import java.util.Map;

/** What a successful run produced: complete artifacts and operation statistics. */
public record ProcedureResult(List<Artifact> artifacts, Map<String, Object> statistics) {
  public ProcedureResult {
    artifacts = List.copyOf(artifacts);
    statistics = Map.copyOf(statistics);
  }
}
