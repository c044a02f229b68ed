package io.pgfleet.bench.wal;

import com.github.luben.zstd.Zstd;
import io.pgfleet.bench.BenchStack;
import io.pgfleet.worker.config.StorageSettings;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

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
  private S3Client withExpect;
  private S3Client noExpect;
  private String bucket;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    try (BenchStack stack = BenchStack.start(dir);
        ArtifactStore store = ArtifactStore.connect(stack.storage())) {
      List<Path> segments = WalSegments.generate(stack.postgres(), count, dir.resolve("segments"));
      WalPushProfile profile = new WalPushProfile();
      StorageSettings settings = stack.storage();
      profile.bucket = settings.bucket();
      profile.withExpect = client(settings, 1L << 20);
      profile.noExpect = client(settings, 64L << 20);
      for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT and the connection
        profile.times.clear();
        profile.measure(store, segments, dir.resolve("markers-" + pass), "p" + pass);
      }
      profile.print();
    }
  }

  /** A bare client whose PUTs send {@code Expect: 100-continue} above {@code threshold} bytes. */
  private static S3Client client(StorageSettings s, long threshold) {
    return S3Client.builder()
        .endpointOverride(s.endpoint())
        .region(Region.of(s.region()))
        .forcePathStyle(s.pathStyle())
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(s.accessKey().reveal(), s.secretKey().reveal())))
        .serviceConfiguration(
            S3Configuration.builder().expectContinueThresholdInBytes(threshold).build())
        .build();
  }

  private void measure(ArtifactStore store, List<Path> segments, Path markers, String pass)
      throws Exception {
    Files.createDirectories(markers);
    WalArchive archive = new WalArchive(store, "profile_" + pass);
    String prefix = "profile/" + pass + "/";
    for (Path segment : segments) {
      String name = segment.getFileName().toString();
      byte[] content = time("read (Files.readAllBytes)", () -> Files.readAllBytes(segment));
      Map<String, String> meta = Map.of("sha256", "x", "original-size", "1");
      time("read in 2 halves on 2 threads (FileChannel)", () -> readHalves(segment));
      time("sha256", () -> MessageDigest.getInstance("SHA-256").digest(content));
      time("zstd-1, one frame", () -> Zstd.compress(content, 1));
      byte[] four = time("zstd 1, 4 frames on 4 threads", () -> frames(content, 1, 4));
      times
          .computeIfAbsent("compressed size zstd 1 in 4 frames, MiB", k -> new ArrayList<>())
          .add(four.length / 1048576.0);
      for (int level : new int[] {1, -1, -3}) {
        byte[] framed =
            time("zstd " + level + ", 2 frames on 2 threads", () -> frames(content, level));
        times
            .computeIfAbsent("compressed size zstd " + level + ", MiB", k -> new ArrayList<>())
            .add(framed.length / 1048576.0);
        time(
            "sha256 beside zstd " + level + " in 2 frames (3 threads)",
            () -> {
              var hash =
                  java.util.concurrent.CompletableFuture.supplyAsync(() -> sha256(content), POOL);
              frames(content, level);
              return hash.join();
            });
        time(
            "PUT If-None-Match, zstd " + level + " body",
            () ->
                store.putIfAbsent(
                    prefix + "cput" + level + "/" + name, framed, "application/zstd", meta));
        time(
            "PUT If-None-Match, zstd " + level + " body, no Expect: 100-continue",
            () -> {
              noExpect.putObject(
                  b ->
                      b.bucket(bucket)
                          .key(prefix + "nx" + level + "/" + name)
                          .contentType("application/zstd")
                          .metadata(meta)
                          .ifNoneMatch("*"),
                  RequestBody.fromBytes(framed));
              return null;
            });
        time(
            "PUT If-None-Match, zstd " + level + " body, same client with Expect: 100-continue",
            () -> {
              withExpect.putObject(
                  b ->
                      b.bucket(bucket)
                          .key(prefix + "wx" + level + "/" + name)
                          .contentType("application/zstd")
                          .metadata(meta)
                          .ifNoneMatch("*"),
                  RequestBody.fromBytes(framed));
              return null;
            });
      }
      time("HEAD (missing key)", () -> store.metadata(prefix + "head/" + name));
      time(
          ".ok marker (fsync + rename)",
          () -> {
            new WalSpool(markers).markArchived(new WalFileName(name));
            return null;
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

  private static byte[] compressRange(byte[] content, int offset, int length, int level) {
    byte[] dst = new byte[(int) Zstd.compressBound(length)];
    long size = Zstd.compressByteArray(dst, 0, dst.length, content, offset, length, level);
    return java.util.Arrays.copyOf(dst, (int) size);
  }

  private static byte[] readHalves(Path file) throws Exception {
    try (var channel = java.nio.channels.FileChannel.open(file)) {
      byte[] content = new byte[(int) channel.size()];
      int half = content.length / 2;
      var second =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> readFully(channel, content, half, content.length - half), POOL);
      readFully(channel, content, 0, half);
      second.join();
      return content;
    }
  }

  private static void readFully(
      java.nio.channels.FileChannel channel, byte[] content, int offset, int length) {
    var buffer = java.nio.ByteBuffer.wrap(content, offset, length);
    try {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, buffer.position()) < 0) {
          throw new java.io.EOFException();
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] frames(byte[] content, int level) {
    return frames(content, level, 2);
  }

  /** {@code n} slices compressed as zstd frames on {@code n} threads, concatenated. */
  private static byte[] frames(byte[] content, int level, int n) {
    int slice = (content.length + n - 1) / n;
    List<java.util.concurrent.CompletableFuture<byte[]>> parts = new ArrayList<>();
    for (int from = 0; from < content.length; from += slice) {
      int offset = from;
      int length = Math.min(slice, content.length - from);
      parts.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> compressRange(content, offset, length, level), POOL));
    }
    var all = new java.io.ByteArrayOutputStream();
    parts.forEach(p -> all.writeBytes(p.join()));
    return all.toByteArray();
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
