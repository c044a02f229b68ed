package io.pgfleet.worker.procedure.pitr;

import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Confirmation;
import io.pgfleet.worker.target.TargetDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The target's own data directory, emptied for an in-place recovery the way the runbooks do it
 * ("stop the server, remove the data directory, restore"), except that nothing is removed: the old
 * directory is renamed aside, and renamed back if the recovery fails before the server starts.
 */
final class InPlaceDirectory {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path dir;
  private final Optional<Path> previous;

  private InPlaceDirectory(Path dir, Optional<Path> previous) {
    this.dir = dir;
    this.previous = previous;
  }

  /**
   * Checks what an in-place recovery needs (confirmed, configured, the server down) and moves the
   * old directory aside; nothing is changed when any check fails.
   */
  static InPlaceDirectory takeOver(
      TargetDatabase target, String targetName, Path dataDirectory, RestorePitrParams params)
      throws ProcedureFailure {
    Confirmation.require(
        targetName,
        params.confirm(),
        "an in-place restore-pitr replaces the data directory of " + targetName,
        "the command must also be signed; nothing was changed");
    if (dataDirectory == null) {
      throw new ProcedureFailure(
          ErrorCode.OPERATION_NOT_ALLOWED,
          "an in-place restore-pitr needs pitr.dataDirectory (the server's own data directory on"
              + " the worker's host) in the config of "
              + targetName
              + "; nothing was changed");
    }
    requireStopped(target, targetName, dataDirectory);
    if (isEmpty(dataDirectory)) {
      return new InPlaceDirectory(dataDirectory, Optional.empty());
    }
    if (!Files.isRegularFile(dataDirectory.resolve("PG_VERSION"))) {
      throw conflict(
          dataDirectory
              + " holds files but no PG_VERSION: not a PostgreSQL data directory, so pgfleet will"
              + " not move it; check pitr.dataDirectory");
    }
    Path aside = asideOf(dataDirectory, Instant.now());
    try {
      Files.move(dataDirectory, aside);
    } catch (IOException e) {
      throw conflict(
          "cannot move "
              + dataDirectory
              + " aside to "
              + aside
              + " ("
              + e
              + "); if it is a mount point, move its contents elsewhere and send the command again:"
              + " an empty data directory is recovered into");
    }
    return new InPlaceDirectory(dataDirectory, Optional.of(aside));
  }

  /**
   * {@code <dir>.pgfleet-before-<UTC second>}, with {@code -2}, {@code -3}, ... when an earlier
   * in-place recovery of the same second already left that name: a moved directory is never
   * overwritten.
   */
  static Path asideOf(Path dataDirectory, Instant now) {
    String name = dataDirectory.getFileName() + ".pgfleet-before-" + STAMP.format(now);
    Path aside = dataDirectory.resolveSibling(name);
    for (int n = 2; Files.exists(aside, LinkOption.NOFOLLOW_LINKS); n++) {
      aside = dataDirectory.resolveSibling(name + "-" + n);
    }
    return aside;
  }

  Path dir() {
    return dir;
  }

  /** Where the old data directory went; empty when there was none (an empty or absent one). */
  Optional<Path> previous() {
    return previous;
  }

  /**
   * Removes what the failed recovery wrote and puts the old directory back; what the operator must
   * do by hand if that fails.
   */
  Optional<String> giveBack() {
    try {
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
            if (!p.equals(dir) || previous.isPresent()) {
              Files.delete(p);
            }
          }
        }
      }
      if (previous.isPresent()) {
        Files.move(previous.get(), dir);
      }
      return Optional.empty();
    } catch (IOException | UncheckedIOException e) {
      return Optional.of(
          "; putting the old data directory back failed ("
              + e
              + ")"
              + previous.map(p -> ": it is at " + p + ", move it back to " + dir).orElse(""));
    }
  }

  /**
   * A server that still runs would be corrupted by a new directory under it: its postmaster.pid is
   * there (left behind only by a crash, which the operator clears), or the target answers.
   */
  private static void requireStopped(TargetDatabase target, String targetName, Path dir)
      throws ProcedureFailure {
    if (Files.exists(dir.resolve("postmaster.pid"))) {
      throw conflict(
          dir
              + "/postmaster.pid exists: stop the server of "
              + targetName
              + " first (pg_ctl stop, or systemctl stop for a packaged server); if it is not"
              + " running, remove that file; nothing was changed");
    }
    String answered;
    try (Connection c = target.connect("restore-pitr-check")) {
      answered = "accepts connections";
    } catch (ProcedureFailure e) {
      if (e.code() == ErrorCode.TARGET_UNREACHABLE) {
        return; // nothing listens: the server is down, as it must be
      }
      answered = "answers (" + e.getMessage() + ")"; // a refused login is a running server too
    } catch (SQLException e) {
      answered = "accepts connections";
    }
    throw conflict(
        targetName
            + " "
            + answered
            + " although "
            + dir
            + " has no postmaster.pid: its server runs from another directory, so"
            + " pitr.dataDirectory is wrong or the server was not stopped; nothing was changed");
  }

  private static boolean isEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static ProcedureFailure conflict(String message) {
    return new ProcedureFailure(ErrorCode.RESTORE_CONFLICT, message);
  }
}
