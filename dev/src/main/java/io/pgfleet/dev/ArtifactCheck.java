package io.pgfleet.dev;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.cli.client.ResultPrinter;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.local.LocalS3;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Checks an artifact the way a sceptical operator would: downloads it with a plain S3 client,
 * recomputes its sha256, compares it with the manifest, and lets pg_restore read its table of
 * contents.
 */
final class ArtifactCheck implements AutoCloseable {
  private final S3Client s3;
  private final Path downloads;

  ArtifactCheck(LocalS3 local, Path downloads) throws IOException {
    this.downloads = Files.createDirectories(downloads);
    this.s3 =
        S3Client.builder()
            .endpointOverride(local.endpoint())
            .region(Region.of(local.region()))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(local.accessKey(), local.secretKey())))
            .build();
  }

  /** What was found about one artifact. */
  record Report(long bytes, boolean shaMatches, int tocEntries, String problem) {
    boolean ok() {
      return shaMatches && problem == null;
    }

    @Override
    public String toString() {
      if (problem != null) {
        return "FAILED: " + problem;
      }
      return String.format(
          "%-9s sha256 %s, pg_restore --list: %d entries  %s",
          ResultPrinter.bytes(bytes),
          shaMatches ? "matches the manifest" : "DIFFERS from the manifest",
          tocEntries,
          ok() ? "✓" : "✗");
    }
  }

  Report verify(Artifact artifact) throws Exception {
    URI uri = URI.create(artifact.uri());
    Path file = downloads.resolve(Path.of(uri.getPath()).getFileName().toString());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(object(uri), sha)) {
      Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    String actual = HexFormat.of().formatHex(sha.digest());
    JsonNode manifest;
    try (InputStream in = object(URI.create(artifact.manifestUri()))) {
      manifest = Json.mapper().readTree(in);
    }
    boolean matches =
        actual.equals(manifest.at("/artifact/sha256").asText()) && actual.equals(artifact.sha256());
    // the standard tools alone, as README's "Restoring any artifact without pgfleet" says
    List<String> list =
        "zstd".equals(manifest.at("/dump/compression").asText())
            ? List.of("sh", "-c", "zstd -dc -- \"$0\" | pg_restore --list", file.toString())
            : List.of("pg_restore", "--list", file.toString());
    Process p = new ProcessBuilder(list).redirectErrorStream(true).start();
    String toc = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      return new Report(Files.size(file), matches, 0, "pg_restore --list failed: " + toc.trim());
    }
    int entries = (int) toc.lines().filter(l -> !l.isBlank() && !l.startsWith(";")).count();
    return new Report(Files.size(file), matches, entries, null);
  }

  private InputStream object(URI uri) {
    return s3.getObject(b -> b.bucket(uri.getHost()).key(uri.getPath().substring(1)));
  }

  @Override
  public void close() {
    s3.close();
  }
}
