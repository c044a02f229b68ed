package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.WorkDirectory;
import io.pgfleet.worker.target.TargetDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A base backup of a cluster with extra tablespaces: pg_basebackup writes one tar per tablespace
 * into a private scratch directory, each is stored compressed, and the directory is removed.
 */
final class ScratchBaseBackup {
  private ScratchBaseBackup() {}

  static TakenBaseBackup take(
      PgBaseBackup pgBaseBackup,
      TargetDatabase target,
      Artifacts store,
      String prefix,
      String label,
      String checkpoint,
      Cancellation cancellation)
      throws IOException, ProcedureFailure, InterruptedException {
    try (WorkDirectory scratch =
        WorkDirectory.create(Path.of(System.getProperty("java.io.tmpdir")), "pgfleet-base-")) {
      Path out = scratch.path().resolve("backup");
      PgBaseBackup.Exit exit = pgBaseBackup.run(out, label, checkpoint, cancellation);
      if (exit.code() != 0) {
        throw PgBaseBackupTool.failed(target, exit);
      }
      List<BaseManifest.File> files = new ArrayList<>();
      for (Path file : files(out)) {
        cancellation.check();
        files.add(CompressedUploads.file(store, file, prefix));
      }
      return new TakenBaseBackup(files, Files.readAllBytes(out.resolve("backup_manifest")));
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
