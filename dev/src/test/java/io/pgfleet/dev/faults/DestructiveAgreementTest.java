package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.cli.SubmitDecisions;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.PruneBackupsParams;
import io.pgfleet.commands.ReindexParams;
import io.pgfleet.commands.RepackParams;
import io.pgfleet.commands.ResetStatementStatsParams;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.RestoreParams.Mode;
import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.TerminateBackendsParams;
import io.pgfleet.commands.VacuumParams;
import io.pgfleet.commands.wire.CommandCodec;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.api.OperationRisk;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.procedure.Procedure;
import io.pgfleet.worker.procedure.pitr.RestorePitrProcedure;
import io.pgfleet.worker.procedure.prune.PruneBackupsProcedure;
import io.pgfleet.worker.procedure.purge.PurgeProcedure;
import io.pgfleet.worker.procedure.reindex.ReindexProcedure;
import io.pgfleet.worker.procedure.repack.RepackProcedure;
import io.pgfleet.worker.procedure.restore.RestoreProcedure;
import io.pgfleet.worker.procedure.statements.ResetStatementStatsProcedure;
import io.pgfleet.worker.procedure.terminate.TerminateBackendsProcedure;
import io.pgfleet.worker.procedure.vacuum.VacuumProcedure;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The worker (signature policy), the dispatcher's API (operator role) and {@code pgfleet submit}
 * call the same commands destructive: the one definition in {@code commands}. Pure logic: no server
 * is needed to compare three classifications.
 */
@Tag("faults")
class DestructiveAgreementTest {
  private static final String DB = "order_db";
  private static final Clock CLOCK = Clock.systemUTC();
  private static final TargetConfig TARGET =
      TargetConfig.builder(DB)
          .host("localhost")
          .user("maintenance")
          .password(io.pgfleet.runtime.config.Secret.literal("unused"))
          .purgePolicy(
              PurgePolicy.builder("audit-archive")
                  .table("audit_events")
                  .timeColumn("created_at")
                  .olderThan(Duration.ofDays(90))
                  .archive(PurgePolicy.Archive.s3(500))
                  .build())
          .purgePolicy(
              PurgePolicy.builder("idempotency")
                  .table("event_idempotency")
                  .timeColumn("created_at")
                  .olderThan(Duration.ofDays(14))
                  .build())
          .build();
  private static final Map<Operation, Procedure> WORKER =
      Map.of(
          Operation.RESTORE, new RestoreProcedure(null, null, CLOCK),
          Operation.RESTORE_PITR, new RestorePitrProcedure(null),
          Operation.PRUNE_BACKUPS, new PruneBackupsProcedure(null, CLOCK),
          Operation.TERMINATE_BACKENDS, new TerminateBackendsProcedure(),
          Operation.VACUUM, new VacuumProcedure(),
          Operation.REINDEX, new ReindexProcedure(),
          Operation.PURGE, new PurgeProcedure(CLOCK),
          Operation.REPACK, new RepackProcedure((target, operation) -> Optional.empty()),
          Operation.RESET_STATEMENT_STATS, new ResetStatementStatsProcedure());

  @Test
  void worker_dispatcher_and_cli_call_the_same_commands_destructive() throws Exception {
    Map<OperationParams, Boolean> cases =
        Map.ofEntries(
            Map.entry(restore(Mode.NEW_DATABASE, null, null, null), false),
            Map.entry(restore(Mode.REPLACE, null, null, DB), true),
            Map.entry(restore(Mode.TABLES, true, false, null), false),
            Map.entry(restore(Mode.TABLES, true, true, DB), true),
            Map.entry(
                new RestoreParams(null, Mode.NEW_DATABASE, null, null, null, null, DB, "prod_db"),
                true),
            Map.entry(new RepackParams(null, true, true, null), false),
            Map.entry(new RepackParams(null, true, false, DB), true),
            Map.entry(new ResetStatementStatsParams(true, null), false),
            Map.entry(new ResetStatementStatsParams(false, DB), true),
            Map.entry(
                new RestorePitrParams(null, null, null, null, null, "before-1430", 55432), false),
            Map.entry(
                new RestorePitrParams(null, null, null, null, null, null, null, null, true, DB),
                true),
            Map.entry(new PruneBackupsParams(true, null), false),
            Map.entry(new PruneBackupsParams(false, DB), true),
            Map.entry(terminate(true), false),
            Map.entry(terminate(false), true),
            Map.entry(new VacuumParams(null, true, null, false), false),
            Map.entry(new VacuumParams(null, null, null, true), true),
            Map.entry(ReindexParams.table("orders"), false),
            Map.entry(new ReindexParams(null, "orders", null, false, null), true),
            Map.entry(ReindexParams.bloatedIndexes(false), false),
            Map.entry(new ReindexParams(null, null, null, true, false, null, null), true));
    for (Map.Entry<OperationParams, Boolean> c : cases.entrySet()) {
      Command command = command(c.getKey());
      boolean expected = c.getValue();
      String what = command.operation().wireName() + " " + json(command);

      assertThat(worker(command)).as("worker: " + what).isEqualTo(expected);
      assertThat(dispatcher(command)).as("dispatcher: " + what).isEqualTo(expected);
      assertThat(SubmitDecisions.destructive(command)).as("cli: " + what).isEqualTo(expected);
    }
    FaultSummary.record("one definition of destructive", cases.size(), cases.size(), 0, 0, 0);
  }

  @Test
  void
      a_purge_without_an_archive_is_destructive_everywhere_and_one_with_an_archive_only_where_the_policy_is_unknown()
          throws Exception {
    Command deletes = Commands.purge(DB, "idempotency").build();
    Command archives = Commands.purge(DB, "audit-archive").build();

    assertThat(List.of(worker(deletes), dispatcher(deletes), SubmitDecisions.destructive(deletes)))
        .containsOnly(true);
    // The worker holds the policy and knows the rows are archived first; the dispatcher and the
    // CLI do not, and stay on the safe side.
    assertThat(worker(archives)).isFalse();
    assertThat(dispatcher(archives)).isTrue();
    assertThat(SubmitDecisions.destructive(archives)).isTrue();
  }

  private static boolean worker(Command command) {
    return WORKER.get(command.operation()).destructive(command, TARGET);
  }

  private static boolean dispatcher(Command command) throws Exception {
    return OperationRisk.isDestructive(command.operation().wireName(), json(command).get("data"));
  }

  private static JsonNode json(Command command) throws Exception {
    return Json.mapper().readTree(new CommandCodec().encode(command));
  }

  private static Command command(OperationParams params) {
    Operation operation =
        java.util.Arrays.stream(Operation.values())
            .filter(o -> o.paramsType().isInstance(params))
            .findFirst()
            .orElseThrow();
    return Commands.of(operation, DB, params).build();
  }

  private static RestoreParams restore(
      Mode mode, Boolean dataOnly, Boolean truncate, String confirm) {
    List<String> tables = mode == Mode.TABLES ? List.of("public.orders") : null;
    return new RestoreParams(null, mode, null, tables, dataOnly, truncate, confirm);
  }

  private static TerminateBackendsParams terminate(boolean dryRun) {
    return new TerminateBackendsParams(
        TerminateBackendsParams.TERMINATE,
        1800,
        null,
        null,
        null,
        null,
        dryRun,
        dryRun ? null : DB);
  }
}
