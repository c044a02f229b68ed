package io.pgfleet.cli;

import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.WorkerConfigFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet worker --config FILE}: runs one worker until it is stopped. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a worker: consumes the command topics of the configured targets and executes them.",
      "Stop it with SIGTERM / Ctrl-C: running commands get the grace period to finish."
    })
final class WorkerCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "Worker config file (YAML); see worker.example.yaml")
  Path config;

  @Override
  public Integer call() throws Exception {
    Worker worker = Worker.start(WorkerConfigFile.load(config));
    Thread stopper = new Thread(worker::close, "pgfleet-shutdown");
    Runtime.getRuntime().addShutdownHook(stopper);
    worker.awaitTermination();
    return 0;
  }
}
