package io.pgfleet.cli;

import io.pgfleet.worker.wal.WalArchive;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pgfleet wal-push --config F --target T %p}: PostgreSQL's archive_command. Exits 0 only
 * when the file is in the archive (stored now or already, byte for byte); anything else exits
 * non-zero and PostgreSQL keeps the file and tries again.
 */
@Command(
    name = "wal-push",
    mixinStandardHelpOptions = true,
    description = {
      "Archives one WAL file (archive_command = 'pgfleet wal-push -c worker.yaml -t T %p').",
      "Exit 0: archived (or already archived with the same content). Non-zero: not archived;"
          + " a different file of the same name already archived is reported and never"
          + " overwritten."
    })
final class WalPushCommand implements Callable<Integer> {
  @Mixin WalOptions wal;

  @Parameters(index = "0", paramLabel = "PATH", description = "The file to archive (%p)")
  Path file;

  @Override
  public Integer call() {
    WalArchive.Pushed pushed = wal.withArchive(archive -> archive.push(file));
    if (pushed == WalArchive.Pushed.ALREADY_ARCHIVED) {
      System.err.println(file.getFileName() + " was already archived with the same content");
    }
    return 0;
  }
}
