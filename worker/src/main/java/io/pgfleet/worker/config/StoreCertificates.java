package io.pgfleet.worker.config;

import io.pgfleet.commands.Printable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The certificate authorities of {@code storage.caFile}, for an object store whose certificate a
 * private authority signed (MinIO, Ceph, an internal gateway): read when the config is, so a file
 * that is missing or holds no certificate stops the worker at start instead of its first backup.
 */
public final class StoreCertificates {
  /**
   * A bundle of every public authority is about 250 KB; more than this is not a certificate file.
   */
  static final int MAX_BYTES = 1 << 20;

  private StoreCertificates() {}

  /** The file, once it is known to hold at least one X.509 certificate. */
  static Path check(String file) {
    Path path;
    try {
      path = Path.of(file);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("caFile " + Printable.quote(file) + " is not a file name");
    }
    read(path);
    return path;
  }

  /**
   * Every certificate in {@code file} (PEM, one or more; or DER).
   *
   * @throws IllegalArgumentException saying what is wrong with the file, never quoting its content
   */
  public static List<X509Certificate> read(Path file) {
    String name = Printable.quote(file.toString());
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      // a directory, a FIFO that would block the read, /dev/zero that would never end it
      throw new IllegalArgumentException("caFile " + name + " is not a regular file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IllegalArgumentException(
            "caFile " + name + " is larger than 1 MiB: not a file of certificates");
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("caFile " + name + " does not exist");
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "caFile " + name + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (new String(bytes, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY-----")) {
      throw new IllegalArgumentException(
          "caFile "
              + name
              + " holds a private key: give it only the authorities' certificates, and keep the"
              + " key out of the worker's files");
    }
    Collection<? extends Certificate> certificates;
    try {
      certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes));
    } catch (CertificateException | RuntimeException e) {
      throw new IllegalArgumentException(
          "caFile " + name + " holds no readable X.509 certificate (PEM or DER expected)");
    }
    List<X509Certificate> x509 = new ArrayList<>();
    for (Certificate c : certificates) {
      if (c instanceof X509Certificate x) {
        x509.add(x);
      }
    }
    if (x509.isEmpty()) {
      throw new IllegalArgumentException(
          "caFile " + name + " holds no X.509 certificate (PEM or DER expected)");
    }
    return List.copyOf(x509);
  }
}
