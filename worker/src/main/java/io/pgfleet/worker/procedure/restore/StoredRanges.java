package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A smaller archive for restoring some tables of a seekable backup: its header and TOC and the
 * selected tables' data blocks, fetched with ranged GETs and each checked against the sha256 the
 * manifest records for it. Concatenated, the pieces are a valid stored object of their own (zstd
 * frames follow one another), which pg_restore reads like the whole one.
 */
final class StoredRanges {
  private StoredRanges() {}

  /** The pieces to fetch, in archive order; empty when the backup is not seekable. */
  static List<Manifest.Piece> forTables(Manifest manifest, Set<String> tables) {
    Manifest.Archive archive = manifest.archive();
    if (archive == null || !archive.seekable() || manifest.encryption() != null) {
      return List.of();
    }
    Map<Integer, String> wanted = new TreeMap<>();
    for (Manifest.TableCount t : manifest.tables()) {
      if (tables.contains(t.name())) {
        if (t.dumpId() == null) {
          return List.of();
        }
        wanted.put(t.dumpId(), t.name());
      }
    }
    List<Manifest.Piece> pieces = new ArrayList<>(List.of(archive.toc()));
    archive.blocks().stream().filter(b -> wanted.containsKey(b.dumpId())).forEach(pieces::add);
    return pieces;
  }

  /** Fetches the pieces into a private file in {@code dir}; returns it with the bytes read. */
  static Path download(Artifacts store, StoredBackup backup, List<Manifest.Piece> pieces, Path dir)
      throws ProcedureFailure {
    Path file = null;
    try {
      file = BackupReader.privateFile(dir);
      try (OutputStream out = Files.newOutputStream(file)) {
        for (Manifest.Piece piece : pieces) {
          copy(store, backup, piece, out);
        }
      }
      return file;
    } catch (IOException | StorageException e) {
      BackupReader.deleteQuietly(file);
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "reading ranges of " + backup.uri() + " failed: " + e.getMessage(),
          e);
    } catch (ProcedureFailure | RuntimeException e) {
      BackupReader.deleteQuietly(file);
      throw e;
    }
  }

  static long bytes(List<Manifest.Piece> pieces) {
    return pieces.stream().mapToLong(Manifest.Piece::length).sum();
  }

  private static void copy(
      Artifacts store, StoredBackup backup, Manifest.Piece piece, OutputStream out)
      throws IOException, ProcedureFailure {
    MessageDigest sha256 = sha256();
    long n = 0;
    try (InputStream in = store.read(backup.key(), piece.offset(), piece.length())) {
      byte[] buf = new byte[64 * 1024];
      for (int r; (r = in.read(buf)) >= 0; ) {
        sha256.update(buf, 0, r);
        out.write(buf, 0, r);
        n += r;
      }
    }
    String actual = HexFormat.of().formatHex(sha256.digest());
    if (n != piece.length() || !actual.equals(piece.sha256())) {
      throw new ProcedureFailure(
          ErrorCode.INTEGRITY_FAILED,
          "integrity check failed for bytes "
              + piece.offset()
              + "-"
              + (piece.offset() + piece.length() - 1)
              + " of "
              + backup.uri()
              + ": the manifest says sha256 "
              + piece.sha256()
              + ", the stored bytes have "
              + actual
              + ". The object was altered or damaged after the backup; use another backup");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
