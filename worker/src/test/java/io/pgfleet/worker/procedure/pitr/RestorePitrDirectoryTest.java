package io.pgfleet.worker.procedure.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.PitrSettings;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * restore-pitr's new data directory, on real files: a name that exists is refused, and when a
 * server was started in it (a worker that stopped mid-recovery leaves one running there) the
 * refusal says where and how to check, instead of only "choose another name".
 */
class RestorePitrDirectoryTest {
  @TempDir Path root;

  @Test
  void a_new_name_is_the_directory_under_the_restore_root() throws Exception {
    assertThat(RestorePitrProcedure.directory(settings(), params("r1"), 1))
        .isEqualTo(root.resolve("r1"));
    assertThat(root.resolve("r1")).doesNotExist();
  }

  @Test
  void an_existing_directory_is_refused_and_left_as_it_was() throws Exception {
    Files.createDirectories(root.resolve("r1"));

    ProcedureFailure refused = refusal("r1", 1);

    assertThat(refused.code()).isEqualTo(ErrorCode.RESTORE_CONFLICT);
    assertThat(refused.getMessage())
        .isEqualTo(
            root.resolve("r1")
                + " exists: restore-pitr only creates new data directories;"
                + " choose another name");
  }

  @Test
  void a_directory_a_server_was_started_in_by_an_earlier_attempt_is_named_as_such()
      throws Exception {
    Path dir = Files.createDirectories(root.resolve("r1"));
    Files.writeString(
        dir.resolve("postmaster.pid"), "4242\n" + dir + "\n1765000000\n6012\n/tmp\n*\n");

    ProcedureFailure refused = refusal("r1", 2);

    assertThat(refused.code()).isEqualTo(ErrorCode.RESTORE_CONFLICT);
    assertThat(refused.getMessage())
        .contains("A server was started in it on port 6012")
        .contains("an earlier attempt of this command may have started it")
        .contains("pg_ctl status -D " + dir);
    assertThat(dir.resolve("postmaster.pid")).exists();
  }

  @Test
  void a_pid_file_without_a_port_still_names_the_server_and_no_earlier_attempt_on_the_first()
      throws Exception {
    Path dir = Files.createDirectories(root.resolve("r1"));
    Files.writeString(dir.resolve("postmaster.pid"), "4242\n");

    ProcedureFailure refused = refusal("r1", 1);

    assertThat(refused.getMessage())
        .contains("A server was started in it:")
        .doesNotContain("on port")
        .doesNotContain("earlier attempt");
  }

  private ProcedureFailure refusal(String name, int attempt) {
    return catchThrowableOfType(
        ProcedureFailure.class,
        () -> RestorePitrProcedure.directory(settings(), params(name), attempt));
  }

  private PitrSettings settings() {
    return new PitrSettings("pgfleet", Path.of("/etc/pgfleet/archive.yaml"), root, null, null);
  }

  private static RestorePitrParams params(String directory) {
    return new RestorePitrParams(null, null, null, null, null, directory, 6000, null, null, null);
  }
}
