package io.pgfleet.worker.procedure.pitr;

import com.github.luben.zstd.ZstdInputStream;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.basebackup.BaseManifest;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.tool.StreamTail;
import io.pgfleet.worker.tool.ToolCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/** A new data directory unpacked from a base backup, each file's sha256 checked on the way. */
final class DataDirectory {
  private DataDirectory() {}

  static void materialize(Artifacts store, BaseManifest backup, Path dir)
      throws ProcedureFailure, IOException, InterruptedException {
    for (BaseManifest.File file : backup.files()) {
      if (file.name().endsWith(".tar") && !file.name().equals("base.tar")) {
        throw new ProcedureFailure(
            ErrorCode.RECOVERY_FAILED,
            "base backup "
                + backup.backupId()
                + " has tablespace "
                + file.name()
                + ": restore-pitr recovers clusters without tablespaces only");
      }
    }
    if (Files.isDirectory(dir)) { // an in-place recovery's emptied data directory
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } else {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    for (BaseManifest.File file : backup.files()) {
      if (file.name().equals("base.tar")) {
        extract(store, file, dir);
      } else if (file.name().equals("backup_manifest")) {
        copy(store, file, dir.resolve("backup_manifest"));
      }
    }
    Files.createFile(dir.resolve("recovery.signal"));
  }

  private static void extract(Artifacts store, BaseManifest.File file, Path dir)
      throws ProcedureFailure, IOException, InterruptedException {
    Process tar =
        new ProcessBuilder("tar", "--extract", "--no-same-owner", "--file=-", "--directory=" + dir)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    StreamTail stderr = new StreamTail(tar.getErrorStream(), "tar-stderr");
    stderr.start();
    MessageDigest digest = sha256();
    try (InputStream in =
            new ZstdInputStream(new DigestInputStream(store.read(file.key()), digest));
        OutputStream out = tar.getOutputStream()) {
      in.transferTo(out);
    }
    int code = tar.waitFor();
    stderr.join(10_000);
    checkSha256(file, digest);
    if (code != 0) {
      throw new ProcedureFailure(
          ErrorCode.RECOVERY_FAILED, "unpacking " + file.name() + " failed: " + stderr.text());
    }
  }

  private static void copy(Artifacts store, BaseManifest.File file, Path to)
      throws IOException, ProcedureFailure {
    MessageDigest digest = sha256();
    try (InputStream in =
        new ZstdInputStream(new DigestInputStream(store.read(file.key()), digest))) {
      // a streamed base backup also holds it inside base.tar: the same bytes
      Files.copy(in, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    checkSha256(file, digest);
  }

  private static void checkSha256(BaseManifest.File file, MessageDigest digest)
      throws ProcedureFailure {
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(file.storedSha256())) {
      throw new ProcedureFailure(
          ErrorCode.INTEGRITY_FAILED,
          file.key() + " has sha256 " + actual + ", its manifest says " + file.storedSha256());
    }
  }

  /** Hands the directory to the server's OS user (only when the worker runs as root). */
  static void giveTo(String user, Path dir) throws IOException, InterruptedException {
    if (!ServerCommand.runningAsRoot()) {
      return;
    }
    ToolCall.of(List.of("chown", "-R", user + ":", dir.toString()))
        .within(Duration.ofMinutes(30))
        .run()
        .requireSuccess();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
