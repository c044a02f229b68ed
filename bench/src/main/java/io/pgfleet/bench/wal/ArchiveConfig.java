package io.pgfleet.bench.wal;

import io.pgfleet.worker.config.StorageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The storage section wal-push and wal-fetch read, credentials in files beside it as the README
 * advises; all readable by the server's OS user, which runs archive_command and restore_command.
 */
public final class ArchiveConfig {
  private ArchiveConfig() {}

  public static Path write(Path dir, StorageSettings s) throws IOException {
    Files.createDirectories(dir);
    Path access = readable(dir.resolve("s3-access-key"), s.accessKey().reveal());
    Path secret = readable(dir.resolve("s3-secret-key"), s.secretKey().reveal());
    return readable(
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

  private static Path readable(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return file;
  }
}
