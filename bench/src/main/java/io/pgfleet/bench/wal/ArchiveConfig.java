package io.pgfleet.bench.wal;

import io.pgfleet.worker.config.StorageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The storage section wal-push reads, credentials in files beside it as the README advises. */
final class ArchiveConfig {
  private ArchiveConfig() {}

  static Path write(Path dir, StorageSettings s) throws IOException {
    Files.createDirectories(dir);
    Path access = Files.writeString(dir.resolve("s3-access-key"), s.accessKey().reveal());
    Path secret = Files.writeString(dir.resolve("s3-secret-key"), s.secretKey().reveal());
    return Files.writeString(
        dir.resolve("archive.yaml"),
        """
        storage:
          endpoint: %s
          region: %s
          bucket: %s
          prefix: %s
          accessKey: {file: %s}
          secretKey: {file: %s}
        """
            .formatted(s.endpoint(), s.region(), s.bucket(), s.prefix(), access, secret));
  }
}
