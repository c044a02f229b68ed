package io.pgfleet.bench.backupstream;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.ResultWait;
import io.pgfleet.bench.dump.ThroughWorker;
import io.pgfleet.bench.scale.WorkerProcess;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.config.TargetConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * The worker that backup-stream measures, in a JVM of its own (started with the launcher's default
 * heap options, as the shipped {@code pgfleet worker} is), so that its resident memory is the
 * worker's alone, apart from the Kafka broker and S3Proxy in the benchmark's JVM.
 */
final class ChildWorker implements AutoCloseable {
  /**
   * What {@code pgfleet worker} adds when no option sizes the heap (the launcher, ./pgfleet), on a
   * machine of 4 GiB or more such as this bench's.
   */
  static final List<String> LAUNCHER_HEAP =
      List.of("-Xms192m", "-XX:+AlwaysPreTouch", "-Xmx1g", "-XX:MetaspaceSize=128m");

  private final String target;
  private final WorkerProcess process;
  private final CommandPublisher publisher;
  private final ResultWait results;

  ChildWorker(BenchStack stack, String database, Path dir) throws Exception {
    this.target = database;
    TargetConfig config =
        stack
            .target(database, stack.postgres().superuser(), stack.postgres().superuserPassword())
            .operations(EnumSet.of(Operation.BACKUP))
            .build();
    process = WorkerProcess.start(stack.workerConfig(Map.of(database, config)), dir, LAUNCHER_HEAP);
    publisher = CommandPublisher.connect(stack.bootstrapServers(), stack.topics(), Map.of());
    results = new ResultWait(stack.bootstrapServers(), stack.topics());
    // refused at once (no such table), not measured: the worker has joined its group after it
    Command warmUp =
        Commands.of(
                Operation.BACKUP,
                target,
                ThroughWorker.backupParams(Map.of("includeTables", List.of("no_such_table"))))
            .source("urn:pgfleet:bench")
            .build();
    publisher.publish(warmUp).get();
    results.terminal(warmUp.id(), Duration.ofMinutes(2));
  }

  long pid() {
    return process.pid();
  }

  /** Heap in use after a GC in the worker's JVM, bytes. */
  long heapAfterGc() throws Exception {
    return process.heapBytes();
  }

  /** Publishes {@code operation} with {@code params} and waits for its success. */
  ResultEvent run(Operation operation, OperationParams params) throws Exception {
    Command command = Commands.of(operation, target, params).source("urn:pgfleet:bench").build();
    publisher.publish(command).get();
    ResultEvent end = results.terminal(command.id(), Duration.ofHours(2));
    if (end.outcome() != Outcome.SUCCEEDED) {
      throw new IllegalStateException(operation + " did not succeed: " + end.data());
    }
    return end;
  }

  @Override
  public void close() throws InterruptedException {
    results.close();
    publisher.close();
    process.close();
  }
}
