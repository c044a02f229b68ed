package io.pgfleet.cli;

import io.pgfleet.worker.wal.WalArchiveException;
import io.pgfleet.worker.wal.WalFileName;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pgfleet wal-fetch --config F --target T %f %p}: PostgreSQL's restore_command. Exit codes
 * follow what recovery does with them: 0 the file is at %p; 1 the archive has no such file
 * (recovery ends there, normally, without a message); {@value #ARCHIVE_UNREADABLE} the archive
 * could not be read or the file is corrupt: PostgreSQL treats an exit status above 125 as fatal and
 * stops recovery instead of promoting at a point the archive did not mean.
 */
@Command(
    name = "wal-fetch",
    mixinStandardHelpOptions = true,
    description = {
      "Fetches one archived WAL file (restore_command = 'pgfleet wal-fetch -c worker.yaml -t T"
          + " %%f %%p').",
      "Exit 0: fetched and checked. 1: not in the archive. "
          + WalFetchCommand.ARCHIVE_UNREADABLE
          + ": archive unreadable or file corrupt (recovery stops rather than ends early)."
    })
final class WalFetchCommand implements Callable<Integer> {
  static final int NOT_ARCHIVED = 1;
  static final int ARCHIVE_UNREADABLE = 126;

  @Mixin WalOptions wal;

  @Parameters(index = "0", paramLabel = "NAME", description = "The WAL file's name (%%f)")
  String name;

  @Parameters(index = "1", paramLabel = "PATH", description = "Where to write it (%%p)")
  Path destination;

  @Override
  public Integer call() {
    WalFileName file = new WalFileName(name);
    try {
      boolean found = wal.withArchive(archive -> archive.fetch(file, destination));
      return found ? 0 : NOT_ARCHIVED;
    } catch (WalArchiveException e) {
      System.err.println("error: " + e.getMessage());
      return ARCHIVE_UNREADABLE;
    }
  }
}
