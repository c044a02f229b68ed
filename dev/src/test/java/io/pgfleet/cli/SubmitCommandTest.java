package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.cli.backups.BackupsCommand;
import io.pgfleet.cli.submit.ExitCodes;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
                LocalWorkerConfigs.of(
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
    return c.withTargets(targets);
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  @Test
  void submit_wait_prints_the_result_and_exits_zero_on_success() {
    CliRun run =
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

    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("submitted backup of cli_payment_db as command cli-1")
        .containsPattern("started\\s+cli_payment_db")
        .containsPattern("succeeded cli_payment_db\\s+backup\\s+cli-1")
        .contains("artifact s3://cli-submit/backups/cli_payment_db/logical/");
  }

  @Test
  void submit_backup_format_directory_with_jobs_makes_a_backup_that_passes_its_drill() {
    CliRun backup =
        pgfleet(
            "submit",
            "backup",
            "-t",
            db.name(),
            "--format",
            "directory",
            "--jobs",
            "2",
            "--id",
            "cli-dir",
            "-w");
    CliRun drill =
        pgfleet("submit", "verify-backup", "-t", db.name(), "--id", "cli-dir-drill", "-w");

    assertThat(backup.code()).as(backup.out()).isZero();
    assertThat(backup.out()).containsPattern("artifact s3://cli-submit/\\S+/cli-dir\\.dir/");
    assertThat(drill.code()).as(drill.out() + drill.err()).isZero();
    assertThat(drill.out()).contains("drill passed: sha256 verified");
  }

  @Test
  void submitting_the_same_id_again_reports_the_duplicate_and_its_original_outcome() {
    assertThat(pgfleet("submit", "backup", "-t", db.name(), "--id", "cli-2", "-w").code()).isZero();

    CliRun again = pgfleet("submit", "backup", "-t", db.name(), "--id", "cli-2", "-w");

    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("already succeeded, not executed again");
  }

  @Test
  void a_command_the_worker_rejects_exits_with_the_rejection_code() {
    CliRun run =
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

    assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.EXPIRED);
    assertThat(run.out()).containsPattern("expired\\s+cli_payment_db");
  }

  @Test
  void submit_purge_runs_a_policy_of_the_target_and_prints_what_it_deleted() {
    CliRun run =
        pgfleet(
            "submit", "purge", "-t", db.name(), "--policy", "idempotency", "--id", "cli-p1", "-w");

    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out())
        .contains("submitted purge of cli_payment_db as command cli-p1")
        .containsPattern("succeeded cli_payment_db\\s+purge\\s+cli-p1")
        .containsPattern("idempotency: [1-9]\\d* rows deleted, 0 archived, \\d+ batch(es)?");
  }

  @Test
  void submit_purge_of_a_policy_the_target_lacks_fails_and_names_the_policies_it_has() {
    CliRun run = pgfleet("submit", "purge", "-t", db.name(), "--policy", "everything", "-w");

    assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.FAILED);
    assertThat(run.out()).contains("UNKNOWN_POLICY").contains("its policies: idempotency");
  }

  @Test
  void an_invalid_target_name_is_refused_before_anything_is_sent() {
    CliRun run = pgfleet("submit", "backup", "-t", "../etc", "-w");

    assertThat(run.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(run.err()).contains("invalid target name '../etc'");
  }

  @Test
  void restore_pitr_with_two_recovery_targets_or_a_bad_directory_is_refused_before_sending() {
    CliRun two =
        pgfleet(
            "submit",
            "restore-pitr",
            "-t",
            db.name(),
            "--target-time",
            "2026-11-21T14:29:00Z",
            "--target-lsn",
            "0/3000060",
            "--directory",
            "r1",
            "--port",
            "6000");
    CliRun path =
        pgfleet(
            "submit", "restore-pitr", "-t", db.name(), "--directory", "../data", "--port", "6000");

    assertThat(two.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(two.err()).contains("mutually exclusive");
    assertThat(path.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(path.err()).contains("directory must be a plain name");
  }

  @Test
  void restore_pitr_with_an_unknown_target_action_or_pause_without_a_target_is_refused() {
    CliRun unknown =
        pgfleet(
            "submit",
            "restore-pitr",
            "-t",
            db.name(),
            "--target-time",
            "2026-11-21T14:29:00Z",
            "--target-action",
            "stop",
            "--directory",
            "r1",
            "--port",
            "6000");
    CliRun untargeted =
        pgfleet(
            "submit",
            "restore-pitr",
            "-t",
            db.name(),
            "--target-action",
            "pause",
            "--directory",
            "r1",
            "--port",
            "6000");

    assertThat(unknown.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(unknown.err())
        .contains("targetAction must be promote, pause or shutdown, not 'stop'");
    assertThat(untargeted.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(untargeted.err()).contains("targetAction pause needs a recovery target");
  }

  @Test
  void a_command_signed_with_a_key_the_worker_does_not_trust_is_rejected(@TempDir Path dir) {
    assertThat(cli("keys", "generate", "--name", "stranger", "--dir", dir.toString()).code())
        .isZero();
    assertThat(dir.resolve("stranger.pub")).exists();

    CliRun run =
        pgfleet(
            "submit",
            "backup",
            "-t",
            db.name(),
            "--signer",
            "stranger",
            "--sign-key",
            dir.resolve("stranger.key").toString(),
            "-w");

    assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.REJECTED);
    assertThat(run.out()).contains("UNAUTHORIZED: signer 'stranger' is not trusted by this worker");
  }

  @Test
  void a_backup_verified_through_kafka_shows_in_the_catalog_and_its_manifest_can_be_read(
      @TempDir Path dir) throws Exception {
    assertThat(pgfleet("submit", "backup", "-t", db.name(), "--id", "cli-4", "-w").code()).isZero();

    CliRun drill = pgfleet("submit", "verify-backup", "-t", db.name(), "--id", "cli-4-drill", "-w");
    Path config = workerYaml(dir);
    CliRun list = cli("backups", "list", "--target", db.name(), "--config", config.toString());
    CliRun show = cli("backups", "show", "cli-4", "--config", config.toString());

    assertThat(drill.code()).as(drill.out() + drill.err()).isZero();
    assertThat(drill.out()).contains("drill passed: sha256 verified");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.out()).contains("cli-4").contains("present").doesNotContain("never  cli-4");
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains("\"commandId\" : \"cli-4\"").contains("\"tables\"");
    assertThat(cli("backups", "show", "nope", "--config", config.toString()).code())
        .isEqualTo(BackupsCommand.NOT_FOUND);
  }

  /** A worker config file for the local stack, its secrets in files as in production. */
  private static Path workerYaml(Path dir) throws Exception {
    Path pgPassword = Files.writeString(dir.resolve("pg"), stack.postgres().superuserPassword());
    Path s3Secret = Files.writeString(dir.resolve("s3"), stack.s3().secretKey());
    Path s3Access = Files.writeString(dir.resolve("s3a"), stack.s3().accessKey());
    return Files.writeString(
        dir.resolve("worker.yaml"),
        String.join(
            "\n",
            "kafka: {bootstrapServers: '" + stack.kafka().bootstrapServers() + "'}",
            "ledger:",
            "  url: " + stack.postgres().jdbcUrl("cli_ledger"),
            "  user: " + stack.postgres().superuser(),
            "  password: {file: " + pgPassword + "}",
            "storage:",
            "  endpoint: " + stack.s3().endpoint(),
            "  region: " + stack.s3().region(),
            "  bucket: cli-submit",
            "  prefix: backups",
            "  accessKey: {file: " + s3Access + "}",
            "  secretKey: {file: " + s3Secret + "}",
            "targets:",
            "  " + db.name() + ":",
            "    host: " + stack.postgres().host(),
            "    user: " + db.owner(),
            "    password: {file: " + pgPassword + "}",
            ""));
  }

  private static CliRun pgfleet(String... args) {
    return CliRun.withKafka(stack.kafka().bootstrapServers(), PREFIX, args);
  }

  private static CliRun cli(String... args) {
    return CliRun.of(args);
  }
}
