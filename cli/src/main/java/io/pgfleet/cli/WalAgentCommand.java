package io.pgfleet.cli;

import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.worker.wal.agent.AgentSpool;
import io.pgfleet.worker.wal.agent.WalAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pgfleet wal-agent}: the resident process behind {@code pgfleet-wal-push}, the
 * archive_command that starts no JVM (README, Point-in-time recovery). Runs until stopped
 * (SIGTERM).
 */
@Command(
    name = "wal-agent",
    mixinStandardHelpOptions = true,
    description = {
      "Archives every WAL file PostgreSQL marks ready, as soon as it is ready, and marks it"
          + " archived in --spool for archive_command = 'pgfleet-wal-push SPOOL %%p'.",
      "Run it as the server's OS user beside the server (systemd unit in deploy/wal-agent/)."
    })
final class WalAgentCommand implements Callable<Integer> {
  @Mixin WalOptions wal;

  @Option(
      names = "--pg-wal",
      required = true,
      paramLabel = "DIR",
      description = "The server's pg_wal directory (e.g. /var/lib/postgresql/15/main/pg_wal)")
  Path pgWal;

  @Option(
      names = "--spool",
      required = true,
      paramLabel = "DIR",
      description =
          "Where archived files are marked for pgfleet-wal-push: one per server, on local disk,"
              + " owned by the server's OS user, mode 0700")
  Path spool;

  @Option(
      names = "--jobs",
      defaultValue = "4",
      description = "Files pushed at once (default: ${DEFAULT-VALUE})")
  int jobs;

  @Override
  public Integer call() {
    if (!Files.isDirectory(pgWal.resolve("archive_status"))) {
      throw new ConfigException("--pg-wal " + pgWal + " has no archive_status directory");
    }
    if (jobs < 1) {
      throw new ConfigException("--jobs must be at least 1, not " + jobs);
    }
    AgentSpool agentSpool = AgentSpool.open(spool, pgWal);
    CountDownLatch stopped = new CountDownLatch(1);
    return wal.withArchive(
        archive -> {
          WalAgent agent = new WalAgent(archive, pgWal, agentSpool, jobs, System.err::println);
          Thread hook = new Thread(() -> stop(agent, stopped), "wal-agent-stop");
          Runtime.getRuntime().addShutdownHook(hook);
          try {
            agent.start();
          } catch (RuntimeException e) { // e.g. another agent serves the spool
            Runtime.getRuntime().removeShutdownHook(hook);
            agent.close();
            throw e;
          }
          System.err.println(
              "wal-agent: archiving " + pgWal + " to target " + wal.target + ", spool " + spool);
          awaitQuietly(stopped);
          return 0;
        });
  }

  private static void stop(WalAgent agent, CountDownLatch stopped) {
    agent.close();
    stopped.countDown();
  }

  private static void awaitQuietly(CountDownLatch stopped) {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
