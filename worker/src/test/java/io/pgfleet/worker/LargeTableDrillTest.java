package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Json;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * A drill reads a large table back in page ranges on several connections, and still proves its
 * content to the value: the parts' hashes add up to the manifest's, and one changed value fails.
 */
class LargeTableDrillTest {
  private static Fleet fleet;
  private static ResultStream results;
  private static String target;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("warehouse_db");
    results = fleet.results();
    target = fleet.target("warehouse_db");
    // about 12 MB of COPY text: above the size read in parts; rows moved by UPDATE, NULLs
    fleet
        .stack
        .postgres()
        .execute(
            target,
            "CREATE TABLE readings (id bigint PRIMARY KEY, sensor text, at timestamptz,"
                + " note text, seq bigint);"
                + " INSERT INTO readings SELECT i, CASE WHEN i % 9 = 0 THEN NULL"
                + " ELSE 'sensor ' || (i % 977) || E'\\t' || chr(955) END,"
                + " timestamptz '2026-01-01' + i * interval '1 second',"
                + " repeat('n', 40 + i % 30), i * 3 FROM generate_series(1, 130000) i;"
                + " UPDATE readings SET note = note || ' moved' WHERE id % 4 = 0;"
                + " DO $$ BEGIN EXECUTE format('ALTER TABLE readings OWNER TO %I',"
                + " (SELECT pg_get_userbyid(datdba) FROM pg_database"
                + " WHERE datname = current_database())); END $$;");
    fleet.startWorker(
        fleet.workerConfig(
            "worker-large", t -> t.toBuilder().restore(fleet.restoreAsSuperuser(true)).build()));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void a_large_table_is_read_back_in_parts_and_its_content_proved_with_two_jobs_or_streamed() {
    Artifact artifact = succeeded(run(Commands.backup(target))).data().artifacts().get(0);

    ResultEvent parallel =
        run(
            Commands.of(
                Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri(), 2)));
    ResultEvent streamed =
        run(
            Commands.of(
                Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri(), 1)));

    assertThat(succeeded(parallel).data().statistics())
        .containsEntry("contentVerified", true)
        .containsEntry("tablesReadInParts", 1);
    assertThat(succeeded(streamed).data().statistics())
        .containsEntry("contentVerified", true)
        .containsEntry("restoreJobs", 1);
  }

  @Test
  void one_changed_value_in_a_large_table_fails_the_drill_naming_it() throws Exception {
    // pg_dump's own compression off: the stored object is the archive, its COPY text in the clear
    Artifact artifact =
        succeeded(run(Commands.of(Operation.BACKUP, target, new BackupParams("custom", 0))))
            .data()
            .artifacts()
            .get(0);
    ObjectNode manifest =
        (ObjectNode)
            Json.mapper().readTree(VerifyBackupTestSupport.read(fleet, artifact.manifestUri()));
    byte[] archive = VerifyBackupTestSupport.read(fleet, artifact.uri());
    VerifyBackupTestSupport.changeLastDigitOfFirstRow(
        archive, VerifyBackupTestSupport.block(manifest, "readings"));
    ((ObjectNode) manifest.get("artifact"))
        .put("sha256", VerifyBackupTestSupport.sha256(archive)); // integrity holds
    write(artifact.uri(), archive);
    write(artifact.manifestUri(), Json.mapper().writeValueAsBytes(manifest));

    for (int jobs : new int[] {2, 1}) {
      ResultEvent drill =
          run(
              Commands.of(
                  Operation.VERIFY_BACKUP, target, new VerifyBackupParams(artifact.uri(), jobs)));

      assertThat(drill.outcome()).as(drill.toString()).isEqualTo(Outcome.FAILED);
      assertThat(drill.data().error().code()).isEqualTo("VERIFICATION_FAILED");
      assertThat(drill.data().error().message())
          .as(jobs + " jobs")
          .contains("in 1 table(s): public.readings: content differs")
          .containsPattern("the manifest has 130000 rows, (\\d+) bytes, .*the restore 130000 rows");
    }
  }

  private static ResultEvent succeeded(ResultEvent end) {
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    return end;
  }

  private static ResultEvent run(Commands.Builder builder) {
    Command command = builder.source("urn:test:large-drill").build();
    fleet.publisher().publish(command).join();
    return results.awaitTerminal(command.id());
  }

  private static void write(String uri, byte[] bytes) {
    URI u = URI.create(uri);
    fleet
        .s3()
        .putObject(
            b -> b.bucket(u.getHost()).key(u.getPath().substring(1)), RequestBody.fromBytes(bytes));
  }
}
