package io.pgfleet.worker.procedure.basebackup;

import com.github.luben.zstd.ZstdOutputStream;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.KeepOpen;
import io.pgfleet.worker.storage.MultipartUpload;
import io.pgfleet.worker.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A base backup's files stored as {@code <name>.zst}, with the sha256 of what went in. Tars (base
 * and tablespace tars of the scratch path) are compressed as the streamed base.tar is ({@link
 * BaseTarCompression}: content checksum in the frame, one zstd thread per core); backup_manifest
 * and other small files at level 3.
 */
final class CompressedUploads {
  private CompressedUploads() {}

  /** Stores {@code content} as {@code <name>.zst} below {@code prefix}. */
  static BaseManifest.File bytes(Artifacts store, String name, byte[] content, String prefix)
      throws IOException {
    String key = prefix + name + ".zst";
    MultipartUpload upload = store.upload(key, "application/zstd");
    try {
      try (OutputStream out = new ZstdOutputStream(new KeepOpen(upload), 3)) {
        out.write(content);
      }
      StoredObject stored = upload.complete();
      return new BaseManifest.File(
          name,
          key,
          content.length,
          HexFormat.of().formatHex(sha256().digest(content)),
          stored.bytes(),
          stored.sha256());
    } finally {
      upload.abort();
    }
  }

  /** Stores the file as {@code <its name>.zst} below {@code prefix}. */
  static BaseManifest.File file(Artifacts store, Path file, String prefix) throws IOException {
    String name = file.getFileName().toString();
    String key = prefix + name + ".zst";
    MessageDigest digest = sha256();
    MultipartUpload upload = store.upload(key, "application/zstd");
    try {
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest);
          OutputStream out = compressing(name, new KeepOpen(upload))) {
        in.transferTo(out);
      }
      StoredObject stored = upload.complete();
      return new BaseManifest.File(
          name,
          key,
          Files.size(file),
          HexFormat.of().formatHex(digest.digest()),
          stored.bytes(),
          stored.sha256());
    } finally {
      upload.abort();
    }
  }

  private static OutputStream compressing(String name, OutputStream out) throws IOException {
    return name.endsWith(".tar") ? BaseTarCompression.around(out) : new ZstdOutputStream(out, 3);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
