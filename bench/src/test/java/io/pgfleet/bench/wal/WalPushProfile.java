package io.pgfleet.bench.wal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.pgfleet.bench.BenchStack;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalFileName;
import io.pgfleet.worker.wal.WalSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Where one warm push of a 16 MiB segment goes, part by part (a profiling tool, not a test): each
 * part timed on its own over real segments, medians printed. Run with the bench module's test
 * classpath: {@code java ... io.pgfleet.bench.wal.WalPushProfile DIR SEGMENTS}.
 */
public final class WalPushProfile {
  // not the common pool: on 2 cores it has a single thread
  private static final java.util.concurrent.ExecutorService POOL =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
          });
  private final Map<String, List<Double>> times = new LinkedHashMap<>();

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    try (BenchStack stack = BenchStack.start(dir);
        ArtifactStore store = ArtifactStore.connect(stack.storage())) {
      List<Path> segments = WalSegments.generate(stack.postgres(), count, dir.resolve("segments"));
      WalPushProfile profile = new WalPushProfile();
      for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT and the connection
        profile.times.clear();
        profile.measure(store, segments, dir.resolve("markers-" + pass), "p" + pass);
      }
      profile.print();
    }
  }

  private void measure(ArtifactStore store, List<Path> segments, Path markers, String pass)
      throws Exception {
    Files.createDirectories(markers);
    WalArchive archive = new WalArchive(store, "profile_" + pass);
    String prefix = "profile/" + pass + "/";
    for (Path segment : segments) {
      String name = segment.getFileName().toString();
      byte[] content = time("read (Files.readAllBytes)", () -> Files.readAllBytes(segment));
      time("sha256", () -> MessageDigest.getInstance("SHA-256").digest(content));
      time("zstd-1", () -> Zstd.compress(content, 1));
      byte[] z3 = time("zstd-3", () -> Zstd.compress(content, 3));
      time("zstd-3, 2 workers", () -> compressWithWorkers(content, 3, 2));
      times
          .computeIfAbsent("compressed size zstd-3, MiB", k -> new ArrayList<>())
          .add(z3.length / 1048576.0);
      times
          .computeIfAbsent("compressed size zstd-1, MiB", k -> new ArrayList<>())
          .add(Zstd.compress(content, 1).length / 1048576.0);
      time("HEAD (missing key)", () -> store.metadata(prefix + "head/" + name));
      Map<String, String> meta = Map.of("sha256", "x", "original-size", "1");
      time(
          "PUT zstd-3 body",
          () -> {
            store.putWithMetadata(prefix + "put/" + name, z3, "application/zstd", meta);
            return null;
          });
      time(
          "PUT If-None-Match zstd-3 body",
          () -> store.putIfAbsent(prefix + "cput/" + name, z3, "application/zstd", meta));
      boolean refused =
          !time(
              "PUT If-None-Match, key exists",
              () -> store.putIfAbsent(prefix + "cput/" + name, z3, "application/zstd", meta));
      if (!refused) {
        throw new IllegalStateException("the store replaced an object despite If-None-Match: *");
      }
      time(
          "PUT uncompressed 16 MiB",
          () -> {
            store.putWithMetadata(
                prefix + "raw/" + name, content, "application/octet-stream", meta);
            return null;
          });
      time(
          ".ok marker (fsync + rename)",
          () -> {
            new WalSpool(markers).markArchived(new WalFileName(name));
            return null;
          });
      time(
          "as before this session: read, sha256, HEAD, zstd-3, PUT, one after the other",
          () -> {
            byte[] c = Files.readAllBytes(segment);
            MessageDigest.getInstance("SHA-256").digest(c);
            store.metadata(prefix + "seq/" + name);
            store.putWithMetadata(prefix + "seq/" + name, Zstd.compress(c, 3), "a/z", meta);
            return null;
          });
      time(
          "sha256 and zstd-1 on two threads",
          () -> {
            var hash =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> sha256(content), POOL);
            Zstd.compress(content, 1);
            return hash.join();
          });
      time(
          "sha256, zstd-1 of each half on a thread of its own (3 threads)",
          () -> {
            var pool = POOL;
            var hash =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> sha256(content), pool);
            int half = content.length / 2;
            var second =
                java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> compressRange(content, half, content.length - half), pool);
            byte[] first = compressRange(content, 0, half);
            second.join();
            return hash.join();
          });
      time("WalArchive.push(Path), whole", () -> archive.push(segment));
      time("WalArchive.push again (already archived)", () -> archive.push(segment));
    }
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] compressRange(byte[] content, int offset, int length) {
    byte[] dst = new byte[(int) Zstd.compressBound(length)];
    long size = Zstd.compressByteArray(dst, 0, dst.length, content, offset, length, 1);
    return java.util.Arrays.copyOf(dst, (int) size);
  }

  private static byte[] compressWithWorkers(byte[] content, int level, int workers) {
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      ctx.setLevel(level);
      ctx.setWorkers(workers);
      return ctx.compress(content);
    }
  }

  private <T> T time(String part, Callable<T> call) throws Exception {
    long start = System.nanoTime();
    T result = call.call();
    times.computeIfAbsent(part, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
    return result;
  }

  private void print() {
    times.forEach(
        (part, values) -> {
          List<Double> sorted = values.stream().sorted().toList();
          System.out.printf(
              Locale.ROOT,
              "| %s | %.1f | %.1f-%.1f |%n",
              part,
              sorted.get(sorted.size() / 2),
              sorted.get(0),
              sorted.get(sorted.size() - 1));
        });
  }
}
