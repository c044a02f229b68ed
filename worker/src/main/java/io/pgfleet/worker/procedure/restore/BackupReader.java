package io.pgfleet.worker.procedure.restore;

import com.github.luben.zstd.ZstdInputStream;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.EncryptionKeys;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.Envelope;
import io.pgfleet.worker.storage.Manifest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a backup's stored bytes, hashing every byte as it passes, and decodes them (decrypt, then
 * decompress zstd) into the pg_dump archive pg_restore reads. Integrity is judged on the stored
 * bytes: {@link #requireIntact()} reads to the end and compares size and sha256 with the manifest.
 */
final class BackupReader implements AutoCloseable {
  private final StoredBackup backup;
  private final String uri;
  private final long expectedBytes;
  private final String expectedSha256;
  private final boolean encoded;
  private final DigestInputStream raw;
  private long bytes;

  private BackupReader(StoredBackup backup, InputStream source) {
    this(
        backup,
        source,
        backup.uri(),
        backup.manifest().artifact().bytes(),
        backup.manifest().artifact().sha256(),
        true);
  }

  private BackupReader(
      StoredBackup backup,
      InputStream source,
      String uri,
      long expectedBytes,
      String expectedSha256,
      boolean encoded) {
    this.backup = backup;
    this.uri = uri;
    this.expectedBytes = expectedBytes;
    this.expectedSha256 = expectedSha256;
    this.encoded = encoded;
    this.raw = new DigestInputStream(new Counting(source), sha256());
  }

  static BackupReader fromStore(Artifacts store, StoredBackup backup) {
    return new BackupReader(backup, store.read(backup.key()));
  }

  /** One stored file of a directory-format dump, checked against its line in the manifest. */
  static BackupReader fromStore(Artifacts store, StoredBackup backup, Manifest.DumpFile file) {
    String key = backup.key() + file.name();
    return new BackupReader(
        backup, store.read(key), store.uri(key), file.bytes(), file.sha256(), true);
  }

  /**
   * Nothing on pg_restore's stdin: it reads a directory-format dump from its local copy, which was
   * checked file by file when it was downloaded.
   */
  static BackupReader none(StoredBackup backup) {
    return new BackupReader(backup, InputStream.nullInputStream(), backup.uri(), 0, null, false);
  }

  static BackupReader fromFile(Path file, StoredBackup backup) throws IOException {
    return new BackupReader(backup, Files.newInputStream(file));
  }

  /** The pg_dump archive inside the stored bytes. */
  InputStream archive(EncryptionKeys keys) throws IOException {
    InputStream in = new BufferedInputStream(raw, 1 << 16);
    if (!encoded) {
      return in;
    }
    if (backup.encrypted()) {
      in = Envelope.decrypt(in, keys::key);
    }
    if (BackupParams.ZSTD.equals(backup.manifest().dump().compression())) {
      in = new ZstdInputStream(in);
    }
    return in;
  }

  /**
   * Reads what is left and compares the stored bytes with the manifest.
   *
   * @throws ProcedureFailure {@code INTEGRITY_FAILED} on any difference
   */
  void requireIntact() throws ProcedureFailure {
    try {
      raw.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED, "reading " + uri + " failed: " + e.getMessage(), e);
    }
    String actual = HexFormat.of().formatHex(raw.getMessageDigest().digest());
    if (bytes != expectedBytes || !actual.equals(expectedSha256)) {
      throw new ProcedureFailure(
          ErrorCode.INTEGRITY_FAILED,
          "integrity check failed for "
              + uri
              + ": the manifest says "
              + expectedBytes
              + " bytes with sha256 "
              + expectedSha256
              + ", the stored object has "
              + bytes
              + " bytes with sha256 "
              + actual
              + ". The object was altered or damaged after the backup; use another backup");
    }
  }

  /**
   * Downloads the stored bytes to a private file in {@code dir} and checks them: the file holds
   * exactly the bytes that were verified, so what is restored next cannot differ from them.
   */
  static Path download(Artifacts store, StoredBackup backup, Path dir) throws ProcedureFailure {
    Path file = null;
    try (BackupReader reader = fromStore(store, backup)) {
      file = privateFile(dir);
      try (OutputStream out = Files.newOutputStream(file)) {
        reader.raw.transferTo(out);
      }
      reader.requireIntact();
      return file;
    } catch (IOException e) {
      deleteQuietly(file);
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "downloading " + backup.uri() + " to " + dir + " failed: " + e.getMessage(),
          e);
    } catch (ProcedureFailure | RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
  }

  /** A new file in {@code dir} only this process's user may read. */
  static Path privateFile(Path dir) throws IOException {
    return privateFile(dir, "pgfleet-restore-");
  }

  /** A new file {@code prefix*.part} in {@code dir} only this process's user may read. */
  static Path privateFile(Path dir, String prefix) throws IOException {
    Files.createDirectories(dir);
    return Files.createTempFile(
        dir,
        prefix,
        ".part",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }

  static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file; the OS cleans its temp dir
      }
    }
  }

  @Override
  public void close() {
    try {
      raw.close();
    } catch (IOException ignored) {
      // nothing left to read
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Counts the stored bytes read. */
  private final class Counting extends java.io.FilterInputStream {
    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        bytes++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        bytes += n;
      }
      return n;
    }
  }
}
