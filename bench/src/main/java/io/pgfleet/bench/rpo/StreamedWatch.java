package io.pgfleet.bench.rpo;

import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.storage.ListedObject;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The streamed archive in S3: complete segments, and each new upload of a {@code .partial}, whose
 * bytes are read to see how far it reaches (it is zero-padded after the last byte streamed; WAL
 * records are 8-byte aligned, so the end is the last non-zero byte rounded up to 8).
 */
final class StreamedWatch extends ArchiveWatch {
  private record PartialSeen(long seenNanos, long end) {}

  private final ArtifactStore store;
  private final WalArchive archive;
  private final String prefix;
  private final Path scratch;
  private final Map<String, String> partialTags = new HashMap<>();
  private final List<PartialSeen> partials = new CopyOnWriteArrayList<>();

  StreamedWatch(ArtifactStore store, String target, Path scratch) {
    super("streamed");
    this.store = store;
    this.archive = new WalArchive(store, target);
    this.prefix = store.keys().walPrefix(target);
    this.scratch = scratch;
  }

  @Override
  void poll(long now) throws Exception {
    for (ListedObject o : store.listObjects(prefix)) {
      String name = o.name();
      if (name.matches("[0-9A-F]{24}")) {
        segmentSeen(name, now);
      } else if (name.matches("[0-9A-F]{24}\\.partial")
          && !o.eTag().equals(partialTags.put(name, o.eTag()))) {
        Path file = scratch.resolve(name);
        if (archive.fetch(new WalFileName(name), file)) {
          partials.add(new PartialSeen(now, segmentNumber(name) * SEGMENT + end(file)));
        }
      }
    }
  }

  @Override
  OptionalLong archivedAt(long lsn) {
    OptionalLong segment = super.archivedAt(lsn);
    OptionalLong partial =
        partials.stream().filter(p -> p.end() >= lsn).mapToLong(PartialSeen::seenNanos).min();
    if (segment.isPresent() && partial.isPresent()) {
      return OptionalLong.of(Math.min(segment.getAsLong(), partial.getAsLong()));
    }
    return segment.isPresent() ? segment : partial;
  }

  private static long end(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    int last = bytes.length - 1;
    while (last >= 0 && bytes[last] == 0) {
      last--;
    }
    return (last + 1 + 7) & ~7L;
  }
}
