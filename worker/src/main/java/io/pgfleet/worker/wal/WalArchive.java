package io.pgfleet.worker.wal;

import com.github.luben.zstd.Zstd;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.storage.ListedObject;
import io.pgfleet.worker.storage.ObjectContent;
import io.pgfleet.worker.storage.StorageErrors;
import io.pgfleet.worker.storage.StorageException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One target's WAL archive in the bucket. Files are stored zstd-compressed under {@code
 * <prefix>/<target>/wal/<timeline>/<name>}, with the sha256 and size of the uncompressed content in
 * the object's metadata. A file is never overwritten: pushing the same content again is a success,
 * different content a {@link WalConflictException}.
 */
public final class WalArchive {
  static final String SHA256 = "sha256";
  static final String SIZE = "original-size";
  private static final int LEVEL = 1;
  private static final String ZSTD = "application/zstd";

  private final Artifacts store;
  private final String target;

  public WalArchive(Artifacts store, String target) {
    this.store = store;
    this.target = target;
  }

  /** What a push did: both mean the file is safely in the archive. */
  public enum Pushed {
    STORED,
    ALREADY_ARCHIVED
  }

  /**
   * Archives the WAL file, never overwriting: pushing content already archived under its name is a
   * success, different content a {@link WalConflictException}. The file is read, hashed and
   * compressed at once ({@link PreparedFile}) while its name is looked up.
   */
  public Pushed push(Path file) {
    WalFileName name = new WalFileName(file.getFileName().toString());
    String key = key(name);
    CompletableFuture<Optional<String>> lookup = PushWork.start(() -> archivedSha256(key));
    return store(key, lookup, PreparedFile.read(file, LEVEL));
  }

  /**
   * Archives {@code content} under {@code name}, never overwriting (see {@link #push(Path)}). The
   * lookup of what is archived and the sha256 run beside the compression; the PUT is conditional
   * ({@code If-None-Match: *}), so a store that honours it refuses to replace a file written since
   * the lookup, and that file is then compared like one found by the lookup.
   */
  public Pushed push(WalFileName name, byte[] content) {
    String key = key(name);
    CompletableFuture<Optional<String>> lookup = PushWork.start(() -> archivedSha256(key));
    return store(key, lookup, PreparedFile.of(content, LEVEL));
  }

  private Pushed store(
      String key, CompletableFuture<Optional<String>> lookup, PreparedFile prepared) {
    String sha256 = prepared.sha256();
    Optional<String> archived = PushWork.await(lookup);
    if (archived.isPresent()) {
      return sameOrConflict(key, archived.get(), sha256);
    }
    Map<String, String> metadata = metadata(sha256, prepared.size());
    byte[] compressed = prepared.compressed();
    if (inArchive(() -> store.putIfAbsent(key, compressed, ZSTD, metadata))) {
      return Pushed.STORED;
    }
    String raced =
        archivedSha256(key)
            .orElseThrow(
                () ->
                    new WalArchiveException(
                        store.uri(key) + " is being written by someone else at the same time"));
    return sameOrConflict(key, raced, sha256);
  }

  private Pushed sameOrConflict(String key, String archived, String sha256) {
    if (archived.equals(sha256)) {
      return Pushed.ALREADY_ARCHIVED;
    }
    throw new WalConflictException(
        store.uri(key)
            + " is already archived with different content (sha256 "
            + archived
            + ", this file "
            + sha256
            + "). Another server may be archiving to target '"
            + target
            + "': give each server its own target name. The archived file is kept.");
  }

  private static Map<String, String> metadata(String sha256, int size) {
    return Map.of(SHA256, sha256, SIZE, Integer.toString(size));
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

  private static WalFileName partialOf(WalFileName segment) {
    return new WalFileName(segment.value() + ".partial");
  }

  private void write(String key, byte[] content, String sha256) {
    inArchive(
        () -> {
          store.putWithMetadata(
              key,
              FrameCompression.compress(content, LEVEL),
              ZSTD,
              metadata(sha256, content.length));
          return null;
        });
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

  /**
   * Writes the file archived under {@code name} itself to {@code destination}, checked as {@link
   * #fetch} does, but never a segment's {@code .partial}: false when no file has that name.
   */
  private boolean fetchExactly(WalFileName name, Path destination) {
    String key = key(name);
    Optional<ObjectContent> stored = inArchive(() -> store.readWithMetadata(key));
    if (stored.isEmpty()) {
      return false;
    }
    byte[] compressed = stored.get().bytes();
    Map<String, String> metadata = stored.get().metadata();
    byte[] content = decompress(key, compressed, metadata);
    if (!sha256(content).equals(metadata.get(SHA256))) {
      throw new WalArchiveException(
          store.uri(key) + " is corrupt: its content does not match the sha256 stored with it");
    }
    WalFiles.writeAtomically(destination, content);
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
    for (ListedObject object : inArchive(() -> store.listObjects(prefix))) {
      try {
        files.add(new Archived(new WalFileName(object.name()), object.lastModified()));
      } catch (IllegalArgumentException e) {
        // not ours (an upload left by another tool): not part of the archive
      }
    }
    files.sort((a, b) -> a.name().value().compareTo(b.name().value()));
    return files;
  }

  /** Deletes an archived file; deleting one that is already gone is no error. */
  public void delete(WalFileName name) {
    String key = key(name);
    inArchive(
        () -> {
          store.delete(key);
          return null;
        });
  }

  public String key(WalFileName name) {
    return store.keys().walPrefix(target) + name.timeline() + "/" + name.value();
  }

  private Optional<String> archivedSha256(String key) {
    return inArchive(() -> store.metadata(key)).map(m -> m.getOrDefault(SHA256, "unknown"));
  }

  /**
   * Storage failures surface as {@link WalArchiveException}s, which the archive's callers handle.
   */
  private static <T> T inArchive(Supplier<T> storage) {
    try {
      return storage.get();
    } catch (StorageException e) {
      throw new WalArchiveException(e.getMessage(), e);
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

  static String sha256(byte[] content) {
    return HexFormat.of().formatHex(sha256Digest().digest(content));
  }

  static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
