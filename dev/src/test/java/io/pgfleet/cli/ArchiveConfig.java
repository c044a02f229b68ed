package io.pgfleet.cli;

import io.pgfleet.local.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A storage-only worker config for the WAL commands, in a directory the PostgreSQL server's OS user
 * can read: its archive_command and restore_command run as that user.
 */
final class ArchiveConfig {
  private ArchiveConfig() {}

  static Path write(LocalStack stack, String bucket) throws IOException {
    stack.s3().createBucket(bucket);
    Path dir = TempDirs.create("pgfleet-archive-config");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path access = readable(dir.resolve("s3-access-key"), stack.s3().accessKey());
    Path secret = readable(dir.resolve("s3-secret-key"), stack.s3().secretKey());
    String yaml =
        """
        storage:
          endpoint: %s
          bucket: %s
          prefix: backups
          accessKey: {file: %s}
          secretKey: {file: %s}
        """
            .formatted(stack.s3().endpoint(), bucket, access, secret);
    return readable(dir.resolve("worker.yaml"), yaml);
  }

  private static Path readable(Path file, String content) throws IOException {
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return file;
  }
}
