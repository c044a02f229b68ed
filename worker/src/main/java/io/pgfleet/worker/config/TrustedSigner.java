package io.pgfleet.worker.config;

import io.pgfleet.commands.Operation;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Set;

/**
 * A producer whose signed commands the worker accepts, limited to some operations and targets.
 *
 * @param operations empty means every operation
 * @param targets glob patterns of target names ({@code *}, {@code order_*})
 */
public record TrustedSigner(
    String id, PublicKey publicKey, Set<Operation> operations, List<String> targets) {

  public TrustedSigner {
    operations = Set.copyOf(operations);
    targets = List.copyOf(targets);
  }

  public boolean mayAsk(Operation operation, String target) {
    boolean operationOk = operations.isEmpty() || operations.contains(operation);
    boolean targetOk =
        targets.stream()
            .anyMatch(
                g -> FileSystems.getDefault().getPathMatcher("glob:" + g).matches(Path.of(target)));
    return operationOk && targetOk;
  }
}
