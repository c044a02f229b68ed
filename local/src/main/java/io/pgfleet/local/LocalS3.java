package io.pgfleet.local;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * An S3-compatible object store (S3Proxy with its filesystem provider) running inside this JVM on
 * 127.0.0.1.
 *
 * <p>Clients use path-style addressing against {@link #endpoint()}, region {@link #region()} and
 * the generated static credentials (AWS Signature V4). Objects are kept as files under the
 * directory given to {@link #start(Path)}, so they survive {@link #stop()} and {@link #start()}.
 */
public final class LocalS3 implements AutoCloseable {

  private static final String REGION = "us-east-1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final Path blobDir;
  private final int port;
  private final String accessKey;
  private final String secretKey;
  private final StoreCertificate certificate;
  private BlobStore blobStore;
  private S3Proxy proxy;
  private boolean closed;

  private LocalS3(Path dir, StoreCertificate certificate) {
    this.dir = dir;
    this.blobDir = dir.resolve("blobs");
    this.port = FreePort.pick();
    this.accessKey = "local" + randomHex(8);
    this.secretKey = randomHex(20);
    this.certificate = certificate;
  }

  /**
   * Starts an S3 server storing its buckets under {@code dir}.
   *
   * @param dir directory owned by this server; {@link #close()} deletes it
   */
  public static LocalS3 start(Path dir) {
    LocalS3 s3 = new LocalS3(dir.toAbsolutePath(), null);
    s3.start();
    return s3;
  }

  /**
   * Starts an S3 server that speaks only HTTPS, with a self-signed certificate for 127.0.0.1 made
   * for it ({@link #certificate()}): what a store with a private certificate authority looks like
   * to a client.
   */
  public static LocalS3 startSecure(Path dir) {
    return startSecure(dir, StoreCertificate.create(dir.toAbsolutePath().resolve("tls")));
  }

  /** An HTTPS server presenting {@code certificate} (one for another host name, say). */
  public static LocalS3 startSecure(Path dir, StoreCertificate certificate) {
    LocalS3 s3 = new LocalS3(dir.toAbsolutePath(), certificate);
    s3.start();
    return s3;
  }

  /**
   * {@code http://127.0.0.1:PORT} ({@code https://} for {@link #startSecure}); use it as endpoint
   * override with path-style access.
   */
  public URI endpoint() {
    return URI.create(
        (certificate == null ? "http" : "https") + "://" + FreePort.LOOPBACK + ":" + port);
  }

  /** The PEM file of the certificate a {@link #startSecure} server presents; null for HTTP. */
  public Path certificate() {
    return certificate == null ? null : certificate.pem();
  }

  /** The region clients should sign for: {@code us-east-1}. */
  public String region() {
    return REGION;
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  /** Creates the bucket if it does not exist yet; works whether the server is running or not. */
  public synchronized void createBucket(String bucket) {
    BlobStore store = blobStore != null ? blobStore : openBlobStore();
    try {
      if (!store.containerExists(bucket)) {
        store.createContainer(bucket);
      }
    } finally {
      if (store != blobStore) {
        store.close();
      }
    }
  }

  /** Starts serving again on the same port and storage after {@link #stop()}. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("this LocalS3 is closed");
    }
    if (proxy != null) {
      return;
    }
    BlobStore store = openBlobStore();
    S3Proxy.Builder builder = S3Proxy.builder().blobStore(store);
    if (certificate == null) {
      builder.endpoint(endpoint());
    } else {
      builder
          .secureEndpoint(endpoint())
          .keyStore(certificate.keyStore().toString(), certificate.keyStorePassword());
    }
    S3Proxy starting =
        builder
            .awsAuthentication(AuthenticationType.AWS_V4, accessKey, secretKey)
            // The SDK's async and multipart clients send headers S3Proxy does not know.
            .ignoreUnknownHeaders(true)
            // Stop at once, as an outage would, instead of waiting on clients' idle connections.
            .stopTimeout(0)
            .build();
    try {
      starting.start();
      awaitStarted(starting);
    } catch (Exception e) {
      stopQuietly(starting);
      store.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("S3Proxy did not start on " + endpoint(), e);
    }
    blobStore = store;
    proxy = starting;
  }

  /** Stops serving (clients get connection refused); stored objects stay. */
  public synchronized void stop() {
    if (proxy == null) {
      return;
    }
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop S3Proxy on " + endpoint(), e);
    } finally {
      proxy = null;
      blobStore.close();
      blobStore = null;
    }
  }

  /** Stops the server and deletes its directory with all objects. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    Directories.deleteTree(dir);
  }

  private BlobStore openBlobStore() {
    Directories.create(blobDir);
    Properties properties = new Properties();
    properties.setProperty("jclouds.filesystem.basedir", blobDir.toString());
    return BlobStores.create("filesystem", properties);
  }

  private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("state is still " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception ignored) {
      // already failing; the start error is the one worth reporting
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
