package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/** Reads artifacts back with a plain S3 client and checks them with the real PostgreSQL tools. */
final class Artifacts {
  private Artifacts() {}

  static Path download(S3Client s3, String uri, Path dir) throws IOException {
    URI u = URI.create(uri);
    Path file = dir.resolve(Path.of(u.getPath()).getFileName().toString());
    Files.deleteIfExists(file);
    s3.getObject(
        b -> b.bucket(u.getHost()).key(u.getPath().substring(1)), ResponseTransformer.toFile(file));
    return file;
  }

  static JsonNode manifest(S3Client s3, String uri) throws IOException {
    URI u = URI.create(uri);
    try (InputStream in = s3.getObject(b -> b.bucket(u.getHost()).key(u.getPath().substring(1)))) {
      return Json.mapper().readTree(in);
    }
  }

  static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Runs a command to its end; returns stdout, failing the test with stderr if it fails. */
  static String run(List<String> command, java.util.Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
