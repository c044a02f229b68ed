package io.pgfleet.worker.procedure.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.target.TargetDatabase;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An in-place recovery's check that the server is down, against a real running server: a {@code
 * pitr.dataDirectory} without postmaster.pid while the target still answers (a wrong directory) is
 * refused whether the worker's login works or not; only nothing listening is down.
 */
class InPlaceDirectoryTest {
  private static final LocalPostgres postgres = LocalStack.shared().postgres();
  private static final RestorePitrParams IN_PLACE =
      new RestorePitrParams(null, null, null, null, null, null, null, null, true, "order_db");

  @TempDir Path emptyDir;

  @Test
  void a_target_that_accepts_connections_is_refused_and_the_directory_is_left_as_it_was()
      throws Exception {
    Files.writeString(emptyDir.resolve("PG_VERSION"), "15\n");

    ProcedureFailure refused = refusal(target(postgres.port(), postgres.superuserPassword()));

    assertThat(refused.code()).isEqualTo(ErrorCode.RESTORE_CONFLICT);
    assertThat(refused.getMessage())
        .contains("order_db accepts connections although " + emptyDir)
        .contains("pitr.dataDirectory is wrong");
    assertThat(emptyDir.resolve("PG_VERSION")).hasContent("15\n");
    assertThat(Files.list(emptyDir.getParent()))
        .noneMatch(p -> p.getFileName().toString().contains(".pgfleet-before-"));
  }

  @Test
  void a_target_that_refuses_the_workers_login_is_still_a_running_server() throws Exception {
    ProcedureFailure refused = refusal(target(postgres.port(), "not-the-password"));

    assertThat(refused.code()).isEqualTo(ErrorCode.RESTORE_CONFLICT);
    assertThat(refused.getMessage())
        .contains("order_db answers (cannot log in to ")
        .doesNotContain("not-the-password");
  }

  @Test
  void a_target_where_nothing_listens_is_down_and_its_empty_directory_is_recovered_into()
      throws Exception {
    try (TargetDatabase target = target(closedPort(), "x")) {
      InPlaceDirectory dir = InPlaceDirectory.takeOver(target, "order_db", emptyDir, IN_PLACE);

      assertThat(dir.dir()).isEqualTo(emptyDir);
      assertThat(dir.previous()).isEmpty();
    }
  }

  @Test
  void two_takeovers_of_a_stopped_server_keep_both_old_directories_even_within_one_second()
      throws Exception {
    Path data = Files.createDirectory(emptyDir.resolve("data"));
    try (TargetDatabase target = target(closedPort(), "x")) {
      Files.writeString(data.resolve("PG_VERSION"), "first\n");
      InPlaceDirectory first = InPlaceDirectory.takeOver(target, "order_db", data, IN_PLACE);
      Files.createDirectory(data);
      Files.writeString(data.resolve("PG_VERSION"), "second\n");
      InPlaceDirectory second = InPlaceDirectory.takeOver(target, "order_db", data, IN_PLACE);

      assertThat(first.previous().orElseThrow().resolve("PG_VERSION")).hasContent("first\n");
      assertThat(second.previous().orElseThrow().resolve("PG_VERSION")).hasContent("second\n");
    }
    Instant moment = Instant.parse("2026-12-07T05:00:00Z");
    Path taken = InPlaceDirectory.asideOf(data, moment);
    assertThat(taken.getFileName()).hasToString("data.pgfleet-before-20261207T050000Z");
    Files.createDirectory(taken);
    Files.createDirectory(InPlaceDirectory.asideOf(data, moment));
    assertThat(InPlaceDirectory.asideOf(data, moment).getFileName())
        .hasToString("data.pgfleet-before-20261207T050000Z-3");
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private ProcedureFailure refusal(TargetDatabase target) {
    try (target) {
      return catchThrowableOfType(
          ProcedureFailure.class,
          () -> InPlaceDirectory.takeOver(target, "order_db", emptyDir, IN_PLACE));
    }
  }

  private static TargetDatabase target(int port, String password) {
    return new TargetDatabase(
        TargetConfig.builder("order_db")
            .host(postgres.host())
            .port(port)
            .database("postgres")
            .user(postgres.superuser())
            .password(Secret.literal(password))
            .sslMode("disable")
            .build());
  }
}
