package io.pgfleet.worker.wal.agent;

import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.worker.wal.WalArchiveException;
import io.pgfleet.worker.wal.WalFileName;
import io.pgfleet.worker.wal.WalSpool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The directory {@code pgfleet-wal-push} (archive_command) reads and {@link WalAgent} writes:
 * {@code <name>.ok} once the file is in the archive, {@code <name>.error} with the reason a push
 * failed, {@code agent.alive}, touched every second while the agent runs, and {@code agent.lock},
 * locked by the one agent serving the spool ({@link SpoolLock}). Markers decide whether PostgreSQL
 * may recycle a segment, so the directory must be the server OS user's alone (mode 0700): nobody
 * else can forge a marker. It serves one cluster: {@code cluster} holds that cluster's system
 * identifier, and neither the agent nor {@code pgfleet-wal-push} accepts a spool of another cluster
 * (WAL file names repeat across servers, so its markers would let this server drop WAL that is not
 * archived).
 */
public final class AgentSpool {
  static final String OK = ".ok";
  static final String ERROR = ".error";
  static final String ALIVE = "agent.alive";

  private final Path dir;
  private final WalSpool markers;

  private AgentSpool(Path dir) {
    this.dir = dir;
    this.markers = new WalSpool(dir);
  }

  /**
   * Opens {@code dir}, which must be a directory owned by {@code pgWal}'s owner (the server's OS
   * user) with no permission for group or others, and records {@code pgWal}'s cluster in it, or
   * refuses it if it records another cluster; anything else is refused with the command that fixes
   * it.
   */
  public static AgentSpool open(Path dir, Path pgWal) {
    checkAccess(dir, pgWal);
    SpoolCluster.bind(dir, pgWal);
    return new AgentSpool(dir);
  }

  private static void checkAccess(Path dir, Path pgWal) {
    try {
      String owner = Files.getOwner(pgWal).getName();
      String fix =
          " (install -d -m 0700 -o " + owner + " -g " + owner + " " + dir + ", one per server)";
      if (!Files.isDirectory(dir)) {
        throw new ConfigException("--spool " + dir + " is not a directory" + fix);
      }
      if (!Files.getOwner(dir).getName().equals(owner)) {
        throw new ConfigException(
            "--spool " + dir + " must belong to " + owner + ", the owner of " + pgWal + fix);
      }
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
      if (perms.stream().anyMatch(p -> !p.name().startsWith("OWNER_"))) {
        throw new ConfigException(
            "--spool "
                + dir
                + " is open to other users: anyone who can write there could make PostgreSQL"
                + " drop WAL that is not archived"
                + fix);
      }
    } catch (IOException e) {
      throw new ConfigException("cannot check --spool " + dir + ": " + e.getMessage());
    }
  }

  public Path dir() {
    return dir;
  }

  /** Records that {@code name} is in the archive (durably, then atomically visible). */
  public void markArchived(WalFileName name) {
    markers.markArchived(name);
    deleteQuietly(dir.resolve(name.value() + ERROR));
  }

  /** Records why {@code name} could not be archived, for archive_command to report and fail. */
  public void markFailed(WalFileName name, String reason) {
    Path partial = dir.resolve(name.value() + ".error.partial");
    try {
      Files.writeString(partial, reason + "\n", StandardCharsets.UTF_8);
      Files.move(
          partial,
          dir.resolve(name.value() + ERROR),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new WalArchiveException("cannot write " + partial + ": " + e.getMessage(), e);
    }
  }

  public boolean isMarked(WalFileName name) {
    return markers.isMarked(name);
  }

  /**
   * Locks the spool for one agent: a second agent of this cluster is refused with a {@link
   * io.pgfleet.runtime.config.ConfigException} before it changes anything.
   */
  SpoolLock serve() {
    return SpoolLock.take(dir);
  }

  /** Tells archive_command the agent is alive. */
  public void beat() {
    Path alive = dir.resolve(ALIVE);
    try {
      if (!Files.exists(alive)) {
        Files.createFile(alive);
      }
      Files.setLastModifiedTime(alive, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      throw new WalArchiveException("cannot touch " + alive + ": " + e.getMessage(), e);
    }
  }

  /** Tells archive_command the agent has stopped: it fails at once instead of waiting. */
  public void stopped() {
    deleteQuietly(dir.resolve(ALIVE));
  }

  /**
   * Removes every marker except those of {@code ready}: the files PostgreSQL has not yet been told
   * are archived. A marker for a file no longer ready has been read (or is from before a restart,
   * when this is called with no names) and is not needed again.
   */
  public void keepOnly(Collection<WalFileName> ready) {
    Set<String> keep = new java.util.HashSet<>();
    for (WalFileName name : ready) {
      keep.add(name.value() + OK);
      keep.add(name.value() + ERROR);
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        String file = p.getFileName().toString();
        if ((file.endsWith(OK) || file.endsWith(ERROR)) && !keep.contains(file)) {
          deleteQuietly(p);
        }
      }
    } catch (IOException e) {
      throw new WalArchiveException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a marker left behind is harmless: it is true, or removed on the next pass
    }
  }
}
