package io.pgfleet.bench.pitr;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.ResultWait;
import io.pgfleet.bench.wal.ArchiveConfig;
import io.pgfleet.commands.ArtifactSelector;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.RestorePitrParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.PitrSettings;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WalStreamSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A target server of its own (so that it can be killed without the ledger), streamed by a worker
 * that can also base-back it up and restore it: {@code pitr.restoreRoot}, {@code archiveConfig},
 * {@code serverBinDir} set, restore_command running {@code pgfleetCommand wal-fetch}.
 */
final class RecoveryRig implements AutoCloseable {
  static final String TARGET = "pitr_db";

  private final LocalPostgres server;
  private final Path restoreRoot;
  private final Worker worker;
  private final CommandPublisher publisher;
  private final ResultWait results;
  private final StorageSettings storage;
  private final Path archiveConfig;

  /**
   * @param settings extra server settings (archive_command for a baseline)
   * @param pgfleetCommand how the server's OS user runs pgfleet (java ... io.pgfleet.cli.Main)
   */
  RecoveryRig(
      BenchStack stack,
      Path dir,
      Map<String, String> settings,
      Duration partialInterval,
      String pgfleetCommand)
      throws Exception {
    LocalPostgres.Builder builder =
        LocalPostgres.builder()
            .setting("fsync", "on")
            .setting("synchronous_commit", "on")
            .setting("max_wal_size", "4GB");
    settings.forEach(builder::setting);
    server = builder.start(dir.resolve("target"));
    server.createDatabase(TARGET, server.superuser());
    Path open = open(Files.createDirectories(dir.resolve("pitr")));
    restoreRoot = open(Files.createDirectories(open.resolve("restores")));
    storage = stack.storage();
    archiveConfig =
        ArchiveConfig.write(open(Files.createDirectories(open.resolve("config"))), storage);
    PitrSettings pitr =
        new PitrSettings(pgfleetCommand, archiveConfig, restoreRoot, server.binDir(), null)
            .withStream(new WalStreamSettings(true, null, partialInterval));
    TargetConfig target =
        stack
            .target(TARGET, server.superuser(), server.superuserPassword())
            .port(server.port())
            .operations(
                Set.of(
                    Operation.BASE_BACKUP,
                    Operation.RESTORE_PITR,
                    Operation.VERIFY_BASE_BACKUP,
                    Operation.HEALTH_CHECK))
            .pitr(pitr)
            .build();
    worker = Worker.start(stack.workerConfig(Map.of(TARGET, target)));
    publisher = CommandPublisher.connect(stack.bootstrapServers(), stack.topics(), Map.of());
    results = new ResultWait(stack.bootstrapServers(), stack.topics());
  }

  LocalPostgres server() {
    return server;
  }

  Path restoreRoot() {
    return restoreRoot;
  }

  /** The storage-only config restore_command's wal-fetch reads. */
  Path archiveConfig() {
    return archiveConfig;
  }

  StorageSettings storage() {
    return storage;
  }

  void awaitStreaming() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!worker.streaming().contains(TARGET)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the worker did not start streaming within 60 s");
      }
      Thread.sleep(100);
    }
  }

  /** Runs {@code operation} through the worker; its statistics, or a failure. */
  Map<String, Object> run(Operation operation, OperationParams params) throws Exception {
    Command command = Commands.of(operation, TARGET, params).source("urn:pgfleet:bench").build();
    publisher.publish(command).get();
    ResultEvent end = results.terminal(command.id(), Duration.ofMinutes(30));
    if (end.outcome() != Outcome.SUCCEEDED) {
      throw new IllegalStateException(operation + " did not succeed: " + end.data());
    }
    return end.data().statistics();
  }

  /** What {@link #restoreToEnd} gave. */
  record Restored<T>(double seconds, Map<String, Object> stats, T checked) {}

  /** Reads what the scenario checks from a recovered server. */
  interface Check<T> {
    T read(Connection recovered) throws Exception;
  }

  /**
   * Runs restore-pitr of the newest base backup to the end of the archive into {@code directory},
   * on a free port; {@code check} reads the recovered server (as the target's superuser, in the
   * target database), which is then stopped. Seconds are from publish to promoted server.
   */
  <T> Restored<T> restoreToEnd(String directory, Check<T> check) throws Exception {
    int port = freePort();
    long t0 = System.nanoTime();
    Map<String, Object> stats =
        run(
            Operation.RESTORE_PITR,
            new RestorePitrParams(
                ArtifactSelector.LATEST, null, null, null, null, directory, port));
    double seconds = (System.nanoTime() - t0) / 1e9;
    try (Connection c = connect(port, TARGET)) {
      return new Restored<>(seconds, stats, check.read(c));
    } finally {
      asServerUser(
          List.of(
              server.binDir().resolve("pg_ctl").toString(),
              "-D",
              (String) stats.get("dataDirectory"),
              "-m",
              "immediate",
              "stop"));
    }
  }

  /** Connects to a copy of the server on {@code port} as its superuser. */
  Connection connect(int port, String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", server.superuser());
    p.setProperty("password", server.superuserPassword());
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, p);
  }

  /** Runs {@code command} as the server's OS user; fails with its output on a non-zero exit. */
  String asServerUser(List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(server.serverUserCommand(command)).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Readable and traversable by the server's OS user, which runs restore_command. */
  static Path open(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  @Override
  public void close() {
    for (AutoCloseable c : new AutoCloseable[] {results, publisher, worker, server}) {
      try {
        c.close();
      } catch (Exception e) {
        System.err.println("closing " + c + " failed: " + e.getMessage());
      }
    }
  }
}
