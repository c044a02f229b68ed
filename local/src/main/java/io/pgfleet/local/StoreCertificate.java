package io.pgfleet.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A self-signed TLS certificate for 127.0.0.1 and its key, made by the JDK's keytool: the key store
 * a local HTTPS server presents it from, and the certificate as PEM, the file a client is told to
 * trust.
 */
public record StoreCertificate(Path keyStore, String keyStorePassword, Path pem) {
  private static final String ALIAS = "store";

  /** A certificate for 127.0.0.1 and localhost. */
  public static StoreCertificate create(Path dir) {
    return create(dir, "ip:127.0.0.1,dns:localhost");
  }

  /**
   * A certificate for the subject alternative names given as keytool writes them ({@code
   * dns:other.invalid}): one that names another host, to prove a client checks the name.
   */
  public static StoreCertificate create(Path dir, String subjectAlternativeNames) {
    Directories.create(dir);
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    Path keyStore = dir.resolve("store.p12");
    Path pem = dir.resolve("store.pem");
    keytool(
        List.of(
            "-genkeypair",
            "-alias",
            ALIAS,
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=127.0.0.1",
            "-ext",
            "san=" + subjectAlternativeNames,
            "-validity",
            "7",
            "-storetype",
            "PKCS12",
            "-keystore",
            keyStore.toString(),
            "-keypass:env",
            "STORE_PASSWORD"),
        password);
    keytool(
        List.of(
            "-exportcert",
            "-rfc",
            "-alias",
            ALIAS,
            "-keystore",
            keyStore.toString(),
            "-file",
            pem.toString()),
        password);
    return new StoreCertificate(keyStore, password, pem);
  }

  /** Runs keytool with the store password in its environment, never on its command line. */
  private static void keytool(List<String> arguments, String password) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(arguments);
    command.addAll(List.of("-storepass:env", "STORE_PASSWORD"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("STORE_PASSWORD", password);
    try {
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(
            "keytool " + arguments.get(0) + " failed: " + output.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run keytool: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
  }

  @Override
  public String toString() {
    return "StoreCertificate[" + pem + "]"; // never the password
  }
}
