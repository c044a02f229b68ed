package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.wire.Topics;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code pgfleet submit ... --wait} against a real worker: output and exit codes. */
class SubmitCommandTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String PREFIX = "cli-submit";
  private static Worker worker;
  private static SampleDatabase db;

  @BeforeAll
  static void startWorker() {
    db = SampleFleet.create(stack.postgres(), "payment_db", "cli_payment_db");
    stack.s3().createBucket("cli-submit");
    stack.postgres().createDatabase("cli_ledger", stack.postgres().superuser());
    worker =
        Worker.start(
            withIdempotencyPolicy(
                LocalWorkerConfig.of(
                    stack,
                    "cli-worker",
                    new Topics(PREFIX),
                    "cli-submit",
                    "cli_ledger",
                    List.of(db))));
  }

  private static WorkerConfig withIdempotencyPolicy(WorkerConfig c) {
    PurgePolicy idempotency =
        PurgePolicy.builder("idempotency")
            .table("event_idempotency")
            .timeColumn("created_at")
            .olderThan(Duration.ofDays(14))
            .build();
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    c.targets()
        .forEach((name, t) -> targets.put(name, t.toBuilder().purgePolicy(idempotency).build()));
    return new WorkerConfig(c.workerId(), c.kafka(), c.ledger(), c.storage(), c.runs(), targets);
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  @Test
  void submit_wait_prints_the_result_and_exits_zero_on_success() {
    Run run =
        pgfleet(
            "submit",
            "backup",
            "--target",
            db.name(),
            "--id",
            "cli-1",
            "--wait",
            "--timeout",
            "2m");

    assertThat(run.code).as(run.out).isZero();
    assertThat(run.out)
        .contains("submitted backup of cli_payment_db as command cli-1")
        .containsPattern("started\\s+cli_payment_db")
        .containsPattern("succeeded cli_payment_db\\s+backup\\s+cli-1")
        .contains("artifact s3://cli-submit/backups/cli_payment_db/logical/");
  }

  @Test
  void submitting_the_same_id_again_reports_the_duplicate_and_its_original_outcome() {
    assertThat(pgfleet("submit", "backup", "-t", db.name(), "--id", "cli-2", "-w").code).isZero();

    Run again = pgfleet("submit", "backup", "-t", db.name(), "--id", "cli-2", "-w");

    assertThat(again.code).isZero();
    assertThat(again.out).contains("already succeeded, not executed again");
  }

  @Test
  void a_command_the_worker_rejects_exits_with_the_rejection_code() {
    Run run =
        pgfleet(
            "submit",
            "backup",
            "-t",
            db.name(),
            "--compression-level",
            "7",
            "--expires-in",
            "0s",
            "-w");

    assertThat(run.code).as(run.out).isEqualTo(SubmitCommand.EXPIRED);
    assertThat(run.out).containsPattern("expired\\s+cli_payment_db");
  }

  @Test
  void submit_purge_runs_a_policy_of_the_target_and_prints_what_it_deleted() {
    Run run =
        pgfleet(
            "submit", "purge", "-t", db.name(), "--policy", "idempotency", "--id", "cli-p1", "-w");

    assertThat(run.code).as(run.out).isZero();
    assertThat(run.out)
        .contains("submitted purge of cli_payment_db as command cli-p1")
        .containsPattern("succeeded cli_payment_db\\s+purge\\s+cli-p1")
        .containsPattern("idempotency: [1-9]\\d* rows deleted, 0 archived, \\d+ batches");
  }

  @Test
  void submit_purge_of_a_policy_the_target_lacks_fails_and_names_the_policies_it_has() {
    Run run = pgfleet("submit", "purge", "-t", db.name(), "--policy", "everything", "-w");

    assertThat(run.code).as(run.out).isEqualTo(SubmitCommand.FAILED);
    assertThat(run.out).contains("UNKNOWN_POLICY").contains("its policies: idempotency");
  }

  @Test
  void an_invalid_target_name_is_refused_before_anything_is_sent() {
    Run run = pgfleet("submit", "backup", "-t", "../etc", "-w");

    assertThat(run.code).isEqualTo(ErrorHandler.FAILED);
    assertThat(run.err).contains("invalid target name '../etc'");
  }

  private record Run(int code, String out, String err) {}

  private static Run pgfleet(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "-b";
    all[args.length + 1] = stack.kafka().bootstrapServers();
    all[args.length + 2] = "--topic-prefix";
    all[args.length + 3] = PREFIX;
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.run(all);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
