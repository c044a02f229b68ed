package io.pgfleet.worker.wal;

import com.github.luben.zstd.Zstd;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.StorageErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One target's WAL archive in the bucket. Files are stored zstd-compressed under {@code
 * <prefix>/<target>/wal/<timeline>/<name>}, with the sha256 and size of the uncompressed content in
 * the object's metadata. A file is never overwritten: pushing the same content again is a success,
 * different content a {@link WalConflictException}.
 */
public final class WalArchive {
  static final String SHA256 = "sha256";
  static final String SIZE = "original-size";
  private static final int LEVEL = 3;

  private final ArtifactStore store;
  private final String target;

  public WalArchive(ArtifactStore store, String target) {
    this.store = store;
    this.target = target;
  }

  /** What a push did: both mean the file is safely in the archive. */
  public enum Pushed {
    STORED,
    ALREADY_ARCHIVED
  }

  public Pushed push(Path file) {
    return push(new WalFileName(file.getFileName().toString()), read(file));
  }

  /** Archives {@code content} under {@code name}, never overwriting (see {@link #push(Path)}). */
  public Pushed push(WalFileName name, byte[] content) {
    String sha256 = sha256(content);
    String key = key(name);
    Optional<String> archived = archivedSha256(key);
    if (archived.isPresent()) {
      if (archived.get().equals(sha256)) {
        return Pushed.ALREADY_ARCHIVED;
      }
      throw new WalConflictException(
          store.uri(key)
              + " is already archived with different content (sha256 "
              + archived.get()
              + ", this file "
              + sha256
              + "). Another server may be archiving to target '"
              + target
              + "': give each server its own target name. The archived file is kept.");
    }
    write(key, content, sha256);
    return Pushed.STORED;
  }

  /**
   * Stores the segment in progress as {@code <segment>.partial}, replacing the one stored before:
   * the archive trails the server by the streamer's partial interval. {@link #fetch} serves it for
   * {@code segment} while the complete segment is not archived.
   */
  public void storePartial(WalFileName segment, byte[] content) {
    write(key(partialOf(segment)), content, sha256(content));
  }

  /** Deletes {@code <segment>.partial}: the complete segment replaced it. */
  public void deletePartial(WalFileName segment) {
    delete(partialOf(segment));
  }

  static WalFileName partialOf(WalFileName segment) {
    return new WalFileName(segment.value() + ".partial");
  }

  private void write(String key, byte[] content, String sha256) {
    try {
      store
          .client()
          .putObject(
              b ->
                  b.bucket(store.bucket())
                      .key(key)
                      .contentType("application/zstd")
                      .metadata(Map.of(SHA256, sha256, SIZE, Integer.toString(content.length))),
              RequestBody.fromBytes(Zstd.compress(content, LEVEL)));
    } catch (SdkException e) {
      throw new WalArchiveException(
          "cannot write " + store.uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  /**
   * Writes the archived file to {@code destination} (atomically: complete or absent) after checking
   * its sha256; returns false when the archive has no such file. A segment not archived complete is
   * served from its {@code .partial} (a streamed segment in progress): recovery replays it up to
   * the last record it holds and ends there, at the newest point the archive has.
   */
  public boolean fetch(WalFileName name, Path destination) {
    return fetchExactly(name, destination)
        || (name.isSegment() && fetchExactly(partialOf(name), destination));
  }

  private boolean fetchExactly(WalFileName name, Path destination) {
    String key = key(name);
    byte[] compressed;
    Map<String, String> metadata;
    try {
      var response = store.client().getObjectAsBytes(b -> b.bucket(store.bucket()).key(key));
      compressed = response.asByteArray();
      metadata = response.response().metadata();
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw new WalArchiveException(
          "cannot read " + store.uri(key) + ": " + StorageErrors.describe(e), e);
    } catch (SdkException e) {
      throw new WalArchiveException(
          "cannot read " + store.uri(key) + ": " + StorageErrors.describe(e), e);
    }
    byte[] content = decompress(key, compressed, metadata);
    if (!sha256(content).equals(metadata.get(SHA256))) {
      throw new WalArchiveException(
          store.uri(key) + " is corrupt: its content does not match the sha256 stored with it");
    }
    write(destination, content);
    return true;
  }

  /** One archived file and when the store received it. */
  public record Archived(WalFileName name, Instant archivedAt) {}

  /** The names of every archived file of this target, in name order within each timeline. */
  public List<WalFileName> list() {
    return files().stream().map(Archived::name).toList();
  }

  /** Every archived file of this target with its time of archiving, in name order. */
  public List<Archived> files() {
    String prefix = store.keys().walPrefix(target);
    List<Archived> files = new ArrayList<>();
    try {
      for (S3Object object :
          store
              .client()
              .listObjectsV2Paginator(b -> b.bucket(store.bucket()).prefix(prefix))
              .contents()) {
        String name = object.key().substring(object.key().lastIndexOf('/') + 1);
        try {
          files.add(new Archived(new WalFileName(name), object.lastModified()));
        } catch (IllegalArgumentException e) {
          // not ours (an upload left by another tool): not part of the archive
        }
      }
    } catch (SdkException e) {
      throw new WalArchiveException(
          "cannot list " + store.uri(prefix) + ": " + StorageErrors.describe(e), e);
    }
    files.sort((a, b) -> a.name().value().compareTo(b.name().value()));
    return files;
  }

  /** Deletes an archived file; deleting one that is already gone is no error. */
  public void delete(WalFileName name) {
    String key = key(name);
    try {
      store.client().deleteObject(b -> b.bucket(store.bucket()).key(key));
    } catch (SdkException e) {
      throw new WalArchiveException(
          "cannot delete " + store.uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  public String key(WalFileName name) {
    return store.keys().walPrefix(target) + name.timeline() + "/" + name.value();
  }

  private Optional<String> archivedSha256(String key) {
    try {
      var head = store.client().headObject(b -> b.bucket(store.bucket()).key(key));
      return Optional.of(head.metadata().getOrDefault(SHA256, "unknown"));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw new WalArchiveException(
          "cannot look up " + store.uri(key) + ": " + StorageErrors.describe(e), e);
    } catch (SdkException e) {
      throw new WalArchiveException(
          "cannot look up " + store.uri(key) + ": " + StorageErrors.describe(e), e);
    }
  }

  private byte[] decompress(String key, byte[] compressed, Map<String, String> metadata) {
    try {
      int size = Integer.parseInt(metadata.getOrDefault(SIZE, "-1"));
      return Zstd.decompress(compressed, size);
    } catch (RuntimeException e) {
      throw new WalArchiveException(
          store.uri(key)
              + " is not a file pgfleet archived or is corrupt: "
              + StorageErrors.describe(e),
          e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new WalArchiveException("cannot read " + file + ": " + StorageErrors.describe(e), e);
    }
  }

  private static void write(Path destination, byte[] content) {
    Path partial = destination.resolveSibling(destination.getFileName() + ".pgfleet-partial");
    try {
      Files.write(partial, content);
      Files.move(
          partial,
          destination,
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new WalArchiveException(
          "cannot write " + destination + ": " + StorageErrors.describe(e), e);
    }
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
