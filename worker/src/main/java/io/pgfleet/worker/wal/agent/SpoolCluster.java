package io.pgfleet.worker.wal.agent;

import io.pgfleet.runtime.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The cluster a spool serves: {@code <spool>/cluster} holds its system identifier. WAL file names
 * repeat across servers, so a marker left by one cluster's push could let another drop WAL that is
 * not archived; the agent and {@code wal-push --spool} both refuse a spool of another cluster.
 */
public final class SpoolCluster {
  static final String FILE = "cluster";

  private SpoolCluster() {}

  /**
   * Records the cluster of {@code pgWal} in {@code dir}, or refuses a spool that records another
   * one. The file is published with a hard link, which fails when it exists: of two processes
   * binding one fresh spool at once, the second reads the first one's cluster and is compared with
   * it, never replaces it.
   */
  public static void bind(Path dir, Path pgWal) {
    String cluster = ClusterId.of(pgWal);
    Path file = dir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        Path partial = Files.createTempFile(dir, FILE + ".", ".partial");
        Files.writeString(partial, cluster + "\n", StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
        try {
          Files.createLink(file, partial);
        } catch (FileAlreadyExistsException bound) {
          // another process bound the spool first: compared below
        } finally {
          Files.deleteIfExists(partial);
        }
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
                + " (--pg-wal "
                + pgWal
                + "): WAL file names repeat across servers, so one cluster's markers could let"
                + " the other drop WAL that is not archived. Give each server a spool of its"
                + " own");
      }
    } catch (IOException e) {
      throw new ConfigException("cannot record the cluster in --spool " + dir + ": " + e);
    }
  }
}
