package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.TargetConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** A run that fails says why, in words an operator can act on, and leaves nothing half-done. */
class FailureTest {
  private static final String WRONG_PASSWORD = "hunter2-not-the-password";

  private static Fleet fleet;
  private static ResultStream results;
  private static CommandPublisher publisher;
  private static S3Client s3;

  @BeforeAll
  static void startFleet() {
    fleet = new Fleet("order_db", "payment_db");
    // order_db's role cannot read one table: pg_dump fails half-way, after the upload began.
    fleet
        .stack
        .postgres()
        .execute(
            fleet.target("order_db"),
            "CREATE TABLE private_keys (id int); INSERT INTO private_keys VALUES (1);"
                + " REVOKE ALL ON private_keys FROM PUBLIC");
    results = fleet.results();
    publisher = fleet.publisher();
    s3 = fleet.s3();
    String paymentDb = fleet.target("payment_db");
    fleet.startWorker(
        fleet.workerConfig(
            "worker-f", t -> t.name().equals(paymentDb) ? withPassword(t, WRONG_PASSWORD) : t));
  }

  @AfterAll
  static void stopFleet() throws Exception {
    fleet.close();
  }

  @Test
  void a_wrong_password_fails_with_a_readable_cause_that_does_not_contain_it() {
    Command command = Commands.backup(fleet.target("payment_db")).build();
    publisher.publish(command).join();

    ResultEvent failed = results.awaitTerminal(command.id());
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.data().error().code()).isEqualTo("TARGET_AUTH_FAILED");
    assertThat(failed.data().error().message())
        .contains("password authentication failed")
        .contains("Check the target's user and password")
        .doesNotContain(WRONG_PASSWORD);
    assertThat(failed.data().error().retryable()).isFalse();
    assertNothingStored(fleet.target("payment_db"));
  }

  @Test
  void a_pg_dump_failure_surfaces_its_stderr_and_leaves_no_manifest_and_no_open_upload()
      throws Exception {
    String target = fleet.target("order_db");
    Command command = Commands.backup(target).build();
    publisher.publish(command).join();

    ResultEvent failed = results.awaitTerminal(command.id());
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.data().error().code()).isEqualTo("PG_DUMP_FAILED");
    assertThat(failed.data().error().message())
        .startsWith("pg_dump exited with code 1")
        .contains("permission denied for table private_keys");
    assertNothingStored(target);
    assertThat(ledgerState(command.id())).isEqualTo("failed");
  }

  private static void assertNothingStored(String target) {
    assertThat(
            s3.listObjectsV2(b -> b.bucket(fleet.bucket).prefix("backups/" + target + "/"))
                .contents())
        .isEmpty();
    assertThat(s3.listMultipartUploads(b -> b.bucket(fleet.bucket)).uploads()).isEmpty();
  }

  private static String ledgerState(String commandId) throws Exception {
    try (Connection c = fleet.stack.postgres().connect(fleet.ledgerDatabase);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT state FROM pgfleet.runs WHERE command_id = '" + commandId + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static TargetConfig withPassword(TargetConfig t, String password) {
    return t.toBuilder().password(Secret.literal(password)).build();
  }
}
