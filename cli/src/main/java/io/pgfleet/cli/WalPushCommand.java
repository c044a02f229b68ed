package io.pgfleet.cli;

import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.worker.wal.SpooledPush;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalSegmentSize;
import io.pgfleet.worker.wal.WalSpool;
import io.pgfleet.worker.wal.agent.SpoolCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pgfleet wal-push --config F --target T %p}: PostgreSQL's archive_command. Exits 0 only
 * when the file is in the archive (stored now or already, byte for byte); anything else exits
 * non-zero and PostgreSQL keeps the file and tries again. With {@code --spool}, also pushes the
 * next ready files and leaves a marker for each that the launcher answers without a JVM.
 */
@Command(
    name = "wal-push",
    mixinStandardHelpOptions = true,
    description = {
      "Archives one WAL file (archive_command = 'pgfleet wal-push -c worker.yaml -t T %%p').",
      "Exit 0: archived (or already archived with the same content). Non-zero: not archived;"
          + " a different file of the same name already archived is reported and never"
          + " overwritten."
    })
final class WalPushCommand implements Callable<Integer> {
  /** How many files a spooled push stores at once. */
  static final int JOBS = 4;

  @Mixin WalOptions wal;

  @Option(
      names = "--spool",
      paramLabel = "DIR",
      description =
          "Also push up to --ahead files PostgreSQL has marked ready, leaving DIR/<name>.ok for"
              + " each once archived; the pgfleet launcher answers those without a JVM. One"
              + " directory per server, on local disk, emptied when the archive target changes;"
              + " DIR/cluster records the server's system identifier, and a spool of another"
              + " cluster is refused")
  Path spool;

  @Option(
      names = "--ahead",
      defaultValue = "16",
      description = "With --spool: at most this many ready files pushed ahead (default 16)")
  int ahead;

  @Parameters(index = "0", paramLabel = "PATH", description = "The file to archive (%%p)")
  Path file;

  @Override
  public Integer call() {
    WalSegmentSize.check(file); // before the archive is opened: an empty segment never gets there
    WalArchive.Pushed pushed =
        spool == null ? wal.withArchive(archive -> archive.push(file)) : spooled();
    if (pushed == WalArchive.Pushed.ALREADY_ARCHIVED) {
      System.err.println(file.getFileName() + " was already archived with the same content");
    }
    return 0;
  }

  private WalArchive.Pushed spooled() {
    if (!Files.isDirectory(spool) || !Files.isWritable(spool)) {
      throw new ConfigException(
          "--spool "
              + spool
              + " is not a directory the server's OS user can write: create it on local disk,"
              + " one per server (mkdir -p "
              + spool
              + " and chown it to that user)");
    }
    if (ahead < 0) {
      throw new ConfigException("--ahead must be 0 or more, not " + ahead);
    }
    SpoolCluster.bind(spool, file.toAbsolutePath().getParent(), "the WAL file " + file);
    return wal.withArchive(
            archive ->
                new SpooledPush(archive, new WalSpool(spool), JOBS)
                    .push(file, ahead, System.err::println))
        .pushed();
  }
}
