package io.pgfleet.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgfleet.local.StoreCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** storage.caFile: what a file must hold, and what the worker says when it does not. */
class StoreCertificatesTest {
  private static Path pem;

  /**
   * One certificate for jqwik's properties and JUnit's tests alike (each engine its own lifecycle).
   */
  private static synchronized Path pem() throws Exception {
    if (pem == null) {
      pem =
          StoreCertificate.create(Files.createTempDirectory("store-certificates").resolve("tls"))
              .pem();
    }
    return pem;
  }

  @Test
  void a_pem_file_of_two_certificates_is_read_whole() throws Exception {
    Path two = Files.createTempFile(pem().getParent(), "two", ".pem");
    String one = Files.readString(pem());
    Files.writeString(two, one + one);

    assertThat(StoreCertificates.read(two)).hasSize(2);
    assertThat(StoreCertificates.check(two.toString())).isEqualTo(two);
  }

  @Test
  void a_file_that_also_holds_a_private_key_is_refused_saying_so() throws Exception {
    Path withKey = Files.createTempFile(pem().getParent(), "with-key", ".pem");
    Files.writeString(
        withKey,
        "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n"
            + "-----END PRIVATE KEY-----\n"
            + Files.readString(pem()));

    assertThatThrownBy(() -> StoreCertificates.read(withKey))
        .hasMessageContaining("holds a private key")
        .hasMessageNotContaining("MIGHAgEA");
  }

  @Test
  void a_missing_an_empty_a_huge_file_a_directory_and_a_device_are_refused_each_saying_why(
      @TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.pem"));
    Path huge = dir.resolve("huge.pem");
    Files.write(huge, new byte[StoreCertificates.MAX_BYTES + 1]);

    assertThatThrownBy(() -> StoreCertificates.check(dir.resolve("none.pem").toString()))
        .hasMessageEndingWith("none.pem' does not exist");
    assertThatThrownBy(() -> StoreCertificates.check(empty.toString()))
        .hasMessageContaining("holds no")
        .hasMessageContaining("X.509 certificate");
    assertThatThrownBy(() -> StoreCertificates.check(huge.toString()))
        .hasMessageContaining("larger than 1 MiB");
    assertThatThrownBy(() -> StoreCertificates.check(dir.toString()))
        .hasMessageEndingWith("is not a regular file");
    // a device that never ends a read, and a pipe nobody writes, are refused without reading
    assertThatThrownBy(() -> StoreCertificates.check("/dev/zero"))
        .hasMessage("caFile '/dev/zero' is not a regular file");
    assertThatThrownBy(() -> StoreCertificates.check("a\u0000b\u001b[2J"))
        .hasMessage("caFile 'a\\u0000b\\u001b[2J' is not a file name");
  }

  /**
   * Whatever a caFile holds, it is read or refused with a one-line reason that quotes none of it.
   */
  @Property(tries = 300)
  void any_bytes_are_read_as_certificates_or_refused_with_a_clean_reason(
      @ForAll("contents") byte[] content) throws Exception {
    Path file = Files.createTempFile(pem().getParent(), "any", ".pem");
    try {
      Files.write(file, content);
      try {
        assertThat(StoreCertificates.read(file)).isNotEmpty();
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage())
            .startsWith("caFile '" + file + "' ")
            .doesNotContainPattern("[\\p{Cntrl}]")
            .hasSizeLessThan(300);
      }
    } finally {
      Files.delete(file);
    }
  }

  @Provide
  Arbitrary<byte[]> contents() throws Exception {
    byte[] real = Files.readAllBytes(pem());
    String text = new String(real, java.nio.charset.StandardCharsets.US_ASCII);
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(4096),
        // a real certificate damaged: bytes flipped, cut short, its base64 garbled
        Arbitraries.integers()
            .between(0, real.length - 1)
            .list()
            .ofMinSize(1)
            .ofMaxSize(8)
            .map(
                positions -> {
                  byte[] copy = real.clone();
                  positions.forEach(i -> copy[i] ^= 0x5a);
                  return copy;
                }),
        Arbitraries.integers().between(0, real.length).map(n -> java.util.Arrays.copyOf(real, n)),
        Arbitraries.strings()
            .ofMaxLength(200)
            .map(
                s ->
                    ("-----BEGIN CERTIFICATE-----\n" + s + "\n-----END CERTIFICATE-----\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        Arbitraries.just(real),
        Arbitraries.just((text + text).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  @Test
  void the_worker_config_takes_a_ca_file_for_an_https_endpoint_only(@TempDir Path dir)
      throws Exception {
    Path ok = dir.resolve("ok.yaml");
    Files.writeString(
        ok,
        minimal(
            "storage: {bucket: b, endpoint: \"https://minio.internal:9000\", caFile: \""
                + pem()
                + "\"}"));
    assertThat(WorkerConfigFile.load(ok, Map.of("P", "pw")).storage().caFile()).isEqualTo(pem());
    assertThat(WorkerConfigFile.storage(ok).caFile()).isEqualTo(pem());

    Path plain = dir.resolve("plain.yaml");
    Files.writeString(
        plain,
        minimal(
            "storage: {bucket: b, endpoint: \"http://minio.internal:9000\", caFile: \""
                + pem()
                + "\"}"));
    assertThatThrownBy(() -> WorkerConfigFile.load(plain, Map.of("P", "pw")))
        .hasMessageContaining(
            "storage: caFile applies only with an https endpoint, and the endpoint is http");

    Path missing = dir.resolve("missing.yaml");
    Files.writeString(
        missing,
        minimal(
            "storage: {bucket: b, endpoint: \"https://minio.internal:9000\", caFile: /nowhere/ca.pem}"));
    assertThatThrownBy(() -> WorkerConfigFile.load(missing, Map.of("P", "pw")))
        .hasMessageContaining("storage: caFile '/nowhere/ca.pem' does not exist");
  }

  private static String minimal(String storage) {
    return """
        kafka: {bootstrapServers: "k:9092"}
        ledger: {url: "jdbc:postgresql://x/y", user: u, password: {env: P}}
        %s
        targets:
          order_db: {host: h, user: u, password: {env: P}, operations: [backup]}
        """
        .formatted(storage);
  }
}
