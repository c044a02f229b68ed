package io.pgfleet.cli;

import io.pgfleet.dispatcher.Dispatcher;
import io.pgfleet.dispatcher.DispatcherConfigFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet dispatcher --config FILE}: runs one dispatcher until it is stopped. */
@Command(
    name = "dispatcher",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a dispatcher: fires the schedules (while it leads), serves the HTTP API and the",
      "fleet status page, and keeps the fleet's state current from the result events."
    })
final class DispatcherCommand implements Callable<Integer> {
  @Option(
      names = {"-c", "--config"},
      required = true,
      description = "Dispatcher config file (YAML); see dispatcher.example.yaml")
  Path config;

  @Override
  public Integer call() throws Exception {
    Dispatcher dispatcher = Dispatcher.start(DispatcherConfigFile.load(config));
    System.out.println("pgfleet dispatcher: status page and API at " + dispatcher.uri());
    Runtime.getRuntime().addShutdownHook(new Thread(dispatcher::close, "pgfleet-shutdown"));
    dispatcher.awaitTermination();
    return 0;
  }
}
