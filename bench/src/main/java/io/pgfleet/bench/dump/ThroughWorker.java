package io.pgfleet.bench.dump;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.ResultWait;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.TargetConfig;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * A worker in this JVM serving one target on the bench stack (as the superuser, who may create the
 * drills' scratch databases), with a publisher and a results reader: the pgfleet side of the dump
 * scenarios, a command published and its result awaited.
 */
public final class ThroughWorker implements AutoCloseable {
  private final String target;
  private final Worker worker;
  private final CommandPublisher publisher;
  private final ResultWait results;

  public ThroughWorker(BenchStack stack, String database) throws Exception {
    this.target = database;
    TargetConfig config =
        stack
            .target(database, stack.postgres().superuser(), stack.postgres().superuserPassword())
            .operations(EnumSet.of(Operation.BACKUP, Operation.VERIFY_BACKUP, Operation.RESTORE))
            .build();
    worker = Worker.start(stack.workerConfig(Map.of(database, config)));
    publisher = CommandPublisher.connect(stack.bootstrapServers(), stack.topics(), Map.of());
    results = new ResultWait(stack.bootstrapServers(), stack.topics());
    warmUp();
  }

  /**
   * Backup parameters as a client sends them (JSON), so that fields this code does not name keep
   * their defaults.
   */
  public static BackupParams backupParams(Map<String, Object> fields) {
    return Json.mapper().convertValue(fields, BackupParams.class);
  }

  /** Publishes {@code operation} with {@code params} and waits for its success. */
  public ResultEvent run(Operation operation, OperationParams params) throws Exception {
    Command command = Commands.of(operation, target, params).source("urn:pgfleet:bench").build();
    publisher.publish(command).get();
    ResultEvent end = results.terminal(command.id(), Duration.ofHours(2));
    if (end.outcome() != Outcome.SUCCEEDED) {
      throw new IllegalStateException(operation + " did not succeed: " + end.data());
    }
    return end;
  }

  /**
   * A backup the worker refuses at once (no such table), not measured: the worker's consumer has
   * joined its group and every client is connected before the first measured run.
   */
  private void warmUp() throws Exception {
    Command command =
        Commands.of(
                Operation.BACKUP,
                target,
                backupParams(Map.of("includeTables", List.of("no_such_table"))))
            .source("urn:pgfleet:bench")
            .build();
    publisher.publish(command).get();
    results.terminal(command.id(), Duration.ofMinutes(2));
  }

  @Override
  public void close() {
    results.close();
    publisher.close();
    worker.close();
  }
}
