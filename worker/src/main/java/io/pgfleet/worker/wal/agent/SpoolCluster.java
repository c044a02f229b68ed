package io.pgfleet.worker.wal.agent;

import io.pgfleet.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The cluster a spool serves: {@code <spool>/cluster} holds its system identifier. WAL file names
 * repeat across servers, so a marker left by one cluster's push could let another drop WAL that is
 * not archived; the agent and {@code wal-push --spool} both refuse a spool of another cluster.
 */
public final class SpoolCluster {
  static final String FILE = "cluster";

  private SpoolCluster() {}

  /** {@link #bind(Path, Path, String)} for the agent, whose user names the directory --pg-wal. */
  public static void bind(Path dir, Path pgWal) {
    bind(dir, pgWal, "--pg-wal " + pgWal);
  }

  /**
   * Records the cluster of {@code pgWal} in {@code dir}, or refuses a spool that records another
   * one; {@code pgWalShown} is how messages name {@code pgWal} to the caller's user. The file is
   * published with a hard link, which fails when it exists: of two processes binding one fresh
   * spool at once, the second reads the first one's cluster and is compared with it, never replaces
   * it. A spool that records no cluster yet may hold markers from before binding existed, of any
   * cluster: they are removed before the binding is published, never adopted.
   */
  public static void bind(Path dir, Path pgWal, String pgWalShown) {
    String cluster = ClusterId.of(pgWal, pgWalShown);
    Path file = dir.resolve(FILE);
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        publish(dir, file, cluster);
      }
      String bound = ClusterFile.read(file);
      if (!bound.equals(cluster)) {
        throw new ConfigException(
            "--spool "
                + dir
                + " belongs to the PostgreSQL cluster with system identifier "
                + bound
                + ", not to "
                + cluster
                + " ("
                + pgWalShown
                + "): WAL file names repeat across servers, so one cluster's markers could let"
                + " the other drop WAL that is not archived. Give each server a spool of its"
                + " own");
      }
    } catch (IOException e) {
      throw new ConfigException("cannot record the cluster in --spool " + dir + ": " + e);
    }
  }

  /** Writes the file durably, forgets unbound markers, then links it into place. */
  private static void publish(Path dir, Path file, String cluster) throws IOException {
    Path partial = Files.createTempFile(dir, FILE + ".", ".partial");
    try {
      try (FileChannel out = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        out.write(ByteBuffer.wrap((cluster + "\n").getBytes(StandardCharsets.US_ASCII)));
        out.force(true);
      }
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
      removeMarkers(dir);
      try {
        Files.createLink(file, partial);
      } catch (FileAlreadyExistsException bound) {
        // another process bound the spool first: compared by the caller
      }
    } finally {
      Files.deleteIfExists(partial);
    }
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true); // the link survives a crash before the first marker relies on it
    }
  }

  /** Removes every {@code *.ok}: written before the spool recorded whose WAL it holds. */
  private static void removeMarkers(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (p.getFileName().toString().endsWith(AgentSpool.OK)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
