package io.pgfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A Kafka broker, an S3 server and a PostgreSQL cluster side by side, as pgfleet needs them: what
 * tests and the demo run against.
 */
public final class LocalStack implements AutoCloseable {

  private static LocalStack shared;

  private final Path dir;
  private final LocalKafka kafka;
  private final LocalS3 s3;
  private final LocalPostgres postgres;

  private LocalStack(Path dir, LocalKafka kafka, LocalS3 s3, LocalPostgres postgres) {
    this.dir = dir;
    this.kafka = kafka;
    this.s3 = s3;
    this.postgres = postgres;
  }

  /**
   * Starts all three servers, concurrently, in subdirectories of {@code dir}. If one fails, the
   * others are closed again and the first failure is thrown.
   *
   * @param dir directory owned by the stack; {@link #close()} deletes it
   */
  public static LocalStack start(Path dir) {
    return start(dir, LocalPostgres.builder());
  }

  /** As {@link #start(Path)}, with a PostgreSQL cluster of {@code postgres}'s settings. */
  public static LocalStack start(Path dir, LocalPostgres.Builder postgres) {
    Path root = dir.toAbsolutePath();
    CompletableFuture<LocalPostgres> cluster =
        startAsync(() -> postgres.start(root.resolve("postgres")));
    CompletableFuture<LocalKafka> kafka = startAsync(() -> LocalKafka.start(root.resolve("kafka")));
    CompletableFuture<LocalS3> s3 = startAsync(() -> LocalS3.start(root.resolve("s3")));
    try {
      CompletableFuture.allOf(cluster, kafka, s3).join();
    } catch (CompletionException e) {
      try {
        closeStarted(cluster, kafka, s3);
      } catch (RuntimeException closing) {
        e.getCause().addSuppressed(closing);
      }
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
    return new LocalStack(root, kafka.join(), s3.join(), cluster.join());
  }

  /**
   * The stack shared by everything in this JVM: started on first use in a fresh temp directory,
   * closed (stopped and deleted) by a shutdown hook. Do not close or restart its servers; a test
   * that restarts something starts its own instance.
   */
  public static synchronized LocalStack shared() {
    if (shared == null) {
      LocalStack stack = start(createTempDir());
      Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "pgfleet-local-stack-stop"));
      shared = stack;
    }
    return shared;
  }

  public LocalKafka kafka() {
    return kafka;
  }

  public LocalS3 s3() {
    return s3;
  }

  public LocalPostgres postgres() {
    return postgres;
  }

  /** Closes all three servers and deletes the stack's directory. */
  @Override
  public void close() {
    closeAll(List.of(kafka, s3, postgres));
    Directories.deleteTree(dir);
  }

  private static <T> CompletableFuture<T> startAsync(Supplier<T> starter) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                future.complete(starter.get());
              } catch (Throwable t) {
                future.completeExceptionally(t);
              }
            },
            "pgfleet-local-start");
    thread.setDaemon(true);
    thread.start();
    return future;
  }

  /** Closes the servers that did start; allOf has waited for all of them to finish trying. */
  @SafeVarargs
  private static void closeStarted(CompletableFuture<? extends AutoCloseable>... starts) {
    List<AutoCloseable> started = new ArrayList<>();
    for (CompletableFuture<? extends AutoCloseable> start : starts) {
      if (!start.isCompletedExceptionally()) {
        started.add(start.join());
      }
    }
    closeAll(started);
  }

  private static void closeAll(List<AutoCloseable> servers) {
    List<Exception> failures = new ArrayList<>();
    for (AutoCloseable server : servers) {
      try {
        server.close();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      IllegalStateException failure = new IllegalStateException("could not close every server");
      failures.forEach(failure::addSuppressed);
      throw failure;
    }
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("pgfleet-local-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temp directory for the local stack", e);
    }
  }
}
