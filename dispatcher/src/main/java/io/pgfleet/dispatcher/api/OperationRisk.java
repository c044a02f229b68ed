package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which commands only an operator may submit: the one place that classifies operations by name, so
 * it holds for operations this build does not know yet.
 */
public final class OperationRisk {
  /** Operations that overwrite, delete or interrupt, whatever their parameters. */
  static final Set<String> DESTRUCTIVE =
      Set.of("restore", "restore-pitr", "terminate-backends", "prune-backups", "purge");

  /** Parameters that make an otherwise safe operation destructive (exclusive locks). */
  static final Map<String, Predicate<JsonNode>> DESTRUCTIVE_WHEN =
      Map.of(
          "vacuum", params -> params.path("full").asBoolean(false),
          "reindex", params -> !params.path("concurrently").asBoolean(true),
          "repack", params -> !params.path("dryRun").asBoolean(false),
          "reset-statement-stats", params -> !params.path("dryRun").asBoolean(false));

  private OperationRisk() {}

  /**
   * Whether the command can destroy data or interrupt service. A command carrying {@code confirm}
   * (which every destructive variant requires) counts as destructive too.
   *
   * @param params the command's data; null counts as {}
   */
  public static boolean isDestructive(String operation, JsonNode params) {
    if (DESTRUCTIVE.contains(operation)) {
      return true;
    }
    if (params == null || !params.isObject()) {
      return false;
    }
    return params.has("confirm")
        || DESTRUCTIVE_WHEN.getOrDefault(operation, p -> false).test(params);
  }

  /** The role a command needs. */
  public static Role required(String operation, JsonNode params) {
    return isDestructive(operation, params) ? Role.OPERATOR : Role.REQUESTER;
  }
}
