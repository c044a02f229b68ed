package io.pgfleet.bench.wal;

import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.agent.AgentSpool;
import io.pgfleet.worker.wal.agent.WalAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * PostgreSQL's archiver with a steady writer, one segment ready at a time, archiving through the
 * resident {@link WalAgent} (here in the bench's JVM, warm, as a long-running agent is) and the
 * shipped {@code pgfleet-wal-push} client: for each segment, the segment appears in pg_wal, its
 * {@code .ready} is written, and archive_command runs through {@code sh -c} until it exits 0, when
 * {@code .ready} becomes {@code .done}. The time counts from the {@code .ready}. {@code dir} stands
 * for the data directory archive_command runs in: {@code pg_wal}, and a copy of the {@code
 * global/pg_control} of the cluster that wrote the segments (the agent and the client check that
 * the spool is that cluster's).
 */
final class AgentArchiver implements AutoCloseable {
  private final Path client;
  private final Path pgWal;
  private final Path status;
  private final Path spool;
  private final WalArchive archive;
  private final WalAgent agent;

  private final Path dataDir;

  AgentArchiver(Path client, ArtifactStore store, String target, Path dir, Path pgControl)
      throws IOException {
    this.client = client;
    this.dataDir = dir;
    Files.copy(pgControl, Files.createDirectories(dir.resolve("global")).resolve("pg_control"));
    this.pgWal = dir.resolve("pg_wal");
    this.status = Files.createDirectories(pgWal.resolve("archive_status"));
    this.spool = Files.createDirectories(dir.resolve("spool"));
    Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
    this.archive = new WalArchive(store, target);
    this.agent =
        new WalAgent(archive, pgWal, AgentSpool.open(spool, pgWal), 4, System.err::println);
    agent.start();
  }

  /** Archives copies of {@code segments} on timeline 9, to warm the agent up; not measured. */
  void warmUp(List<Path> segments) throws IOException, InterruptedException {
    for (Path segment : segments) {
      Path copy = pgWal.resolve("00000009" + segment.getFileName().toString().substring(8));
      Files.copy(segment, copy);
      archive(copy);
    }
  }

  /** The segment's path in pg_wal, where it is linked from the generated copy. */
  Path place(Path segment) throws IOException {
    return Files.createLink(pgWal.resolve(segment.getFileName()), segment.toAbsolutePath());
  }

  Object archive(Path inPgWal) throws IOException, InterruptedException {
    String name = inPgWal.getFileName().toString();
    Files.createFile(status.resolve(name + ".ready"));
    ArchiveCommands.exec(
        List.of("sh", "-c", "cd " + dataDir + " && " + client + " " + spool + " pg_wal/" + name));
    Files.move(status.resolve(name + ".ready"), status.resolve(name + ".done"));
    return name;
  }

  /** How many files the archive holds: every segment, checked by the scenario. */
  int archived() {
    return archive.list().size();
  }

  @Override
  public void close() {
    agent.close();
  }
}
