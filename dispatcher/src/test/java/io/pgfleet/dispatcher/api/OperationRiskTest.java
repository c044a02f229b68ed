package io.pgfleet.dispatcher.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.wire.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationRiskTest {
  @ParameterizedTest(name = "{0} {1} needs {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "backup             | {}                              | REQUESTER",
        "verify-backup      | {}                              | REQUESTER",
        "vacuum             | {\"analyze\": true}             | REQUESTER",
        "vacuum             | {\"full\": true}                | OPERATOR",
        "analyze            | {}                              | REQUESTER",
        "reindex            | {\"database\": true}           | REQUESTER",
        "reindex            | {\"database\": true, \"concurrently\": false} | OPERATOR",
        "reindex            | {\"bloated\": true}            | REQUESTER",
        "reindex            | {\"bloated\": true, \"dryRun\": true} | REQUESTER",
        "reindex            | {\"bloated\": true, \"concurrently\": false} | OPERATOR",
        "health-check       | {}                              | REQUESTER",
        "base-backup        | {}                              | REQUESTER",
        "restore            | {\"mode\": \"tables\", \"tables\": [\"t\"], \"dataOnly\": true, \"truncate\": true} | OPERATOR",
        "restore            | {\"mode\": \"replace\", \"confirm\": \"db\"} | OPERATOR",
        "restore            | {\"mode\": \"new-database\"}    | REQUESTER",
        "restore-pitr       | {\"directory\": \"pitr1\", \"port\": 6543} | REQUESTER",
        "terminate-backends | {\"action\": \"terminate\", \"confirm\": \"db\"} | OPERATOR",
        "terminate-backends | {\"action\": \"cancel\", \"activeLongerThanSeconds\": 60, \"dryRun\": true} | REQUESTER",
        "prune-backups      | {\"confirm\": \"db\"}           | OPERATOR",
        "prune-backups      | {\"dryRun\": true}              | REQUESTER",
        "purge              | {\"policy\": \"idempotency\"}   | OPERATOR",
        "check-integrity    | {}                              | REQUESTER",
        "repack             | {\"dryRun\": true, \"tables\": [\"orders\"]} | REQUESTER",
        "repack             | {\"tables\": [\"orders\"]}      | OPERATOR",
        "reset-statement-stats | {\"dryRun\": true}           | REQUESTER",
        "reset-statement-stats | {}                           | OPERATOR",
        "anything-new       | {\"confirm\": \"order_db\"}     | OPERATOR",
      })
  void each_operation_needs_the_role_its_risk_demands(String operation, String params, Role role)
      throws Exception {
    JsonNode data = Json.mapper().readTree(params);

    assertThat(OperationRisk.required(operation, data)).isEqualTo(role);
    assertThat(Role.REQUESTER.includes(OperationRisk.required(operation, data)))
        .isEqualTo(role == Role.REQUESTER);
    assertThat(Role.READ_ONLY.includes(OperationRisk.required(operation, data))).isFalse();
  }
}
