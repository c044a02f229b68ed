package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.BackupSettings;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.config.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A drill the command gives no jobs restores with two from a decoded local copy where the worker
 * may write one, and otherwise streams and says why, never failing for the choice; a command's own
 * jobs are kept.
 */
class DefaultDrillJobsTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static Path workDir;
  private static String roomy;
  private static String cramped;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new Fleet("order_db", "warehouse_db");
    results = fleet.results();
    workDir = Files.createTempDirectory("pgfleet-default-drill-jobs");
    roomy = fleet.target("order_db");
    cramped = fleet.target("warehouse_db"); // keeps more free than any disk has
    WorkerConfig c =
        fleet.workerConfig(
            "worker-drill-jobs",
            t ->
                t.toBuilder()
                    .restore(fleet.restoreAsSuperuser(true))
                    .backup(
                        new BackupSettings(
                            4, workDir, t.name().equals(cramped) ? Long.MAX_VALUE / 2 : 0))
                    .build());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    fleet.startWorker(
        new WorkerConfig(
            c.workerId(),
            c.kafka(),
            c.ledger(),
            c.storage(),
            c.runs(),
            c.security(),
            c.targets(),
            new EncryptionKeys(
                "k1", Map.of("k1", Secret.literal(Base64.getEncoder().encodeToString(key))))));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
    Files.deleteIfExists(workDir);
  }

  @Test
  void a_drill_without_jobs_of_an_unencrypted_custom_backup_runs_two_jobs_and_proves_content()
      throws Exception {
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "two jobs need two cores");
    Artifact artifact = backup(roomy, null);

    ResultEvent drill = drill(roomy, new VerifyBackupParams(artifact.uri()));

    assertThat(succeeded(drill).data().statistics())
        .containsEntry("restoreJobs", 2)
        .containsEntry("restoreJobsChosen", "default")
        .containsEntry("contentVerified", true)
        .containsEntry("tables", 5);
    assertThat(workDirEntries()).isZero(); // the decoded archive is gone
  }

  @Test
  void a_drill_without_jobs_of_an_encrypted_backup_streams_and_passes() throws Exception {
    Artifact artifact =
        backup(roomy, new BackupParams(null, "zstd", null, null, null, null, true, null));

    ResultEvent drill = drill(roomy, new VerifyBackupParams(artifact.uri()));

    assertThat(succeeded(drill).data().statistics())
        .containsEntry("encrypted", true)
        .containsEntry("restoreJobs", 1)
        .containsEntry("restoreJobsChosen", "encrypted")
        .containsEntry("contentVerified", true);
    assertThat(workDirEntries()).isZero();
  }

  @Test
  void a_drill_without_jobs_streams_where_the_work_dir_lacks_room_and_explicit_jobs_still_fail()
      throws Exception {
    Artifact artifact = backup(cramped, null);

    ResultEvent chosen = drill(cramped, new VerifyBackupParams(artifact.uri()));
    ResultEvent asked = drill(cramped, new VerifyBackupParams(artifact.uri(), 2));

    assertThat(succeeded(chosen).data().statistics())
        .containsEntry("restoreJobs", 1)
        .containsEntry("restoreJobsChosen", "workDirRoom")
        .containsEntry("contentVerified", true);
    assertThat(asked.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(asked.data().error().code()).isEqualTo("INSUFFICIENT_DISK");
    assertThat(workDirEntries()).isZero();
  }

  @Test
  void an_explicit_single_job_streams_where_two_would_be_chosen() throws Exception {
    Artifact artifact = backup(roomy, null);

    ResultEvent drill = drill(roomy, new VerifyBackupParams(artifact.uri(), 1));

    assertThat(succeeded(drill).data().statistics())
        .containsEntry("restoreJobs", 1)
        .containsEntry("restoreJobsChosen", "command")
        .containsEntry("contentVerified", true);
  }

  private static long workDirEntries() throws Exception {
    try (var files = Files.list(workDir)) {
      return files.count();
    }
  }

  private static Artifact backup(String target, BackupParams params) {
    Commands.Builder builder = Commands.backup(target);
    ResultEvent end = run(params == null ? builder : builder.params(params));
    return succeeded(end).data().artifacts().get(0);
  }

  private static ResultEvent drill(String target, VerifyBackupParams params) {
    return run(Commands.of(Operation.VERIFY_BACKUP, target, params));
  }

  private static ResultEvent succeeded(ResultEvent end) {
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    return end;
  }

  private static ResultEvent run(Commands.Builder builder) {
    Command command = builder.source("urn:test:default-drill-jobs").build();
    fleet.publisher().publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
