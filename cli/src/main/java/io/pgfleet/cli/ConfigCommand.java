package io.pgfleet.cli;

import io.pgfleet.runtime.config.ConfigException;
import io.pgfleet.runtime.config.FleetReport;
import io.pgfleet.runtime.config.SettingsFile;
import io.pgfleet.worker.config.WorkerConfigFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pgfleet config check FILE}: effective settings per target, their origin, and drift. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Checks worker, dispatcher and fleet files.",
    subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Checks FILE against the settings schema and prints each target's effective settings,",
        "where each value came from (defaults, profile NAME, target), and the targets that",
        "deviate from the defaults (policy drift). Exit code 1 when the file has problems."
      })
  static final class Check implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Worker, dispatcher or fleet file (YAML)")
    Path file;

    @Override
    public Integer call() {
      List<String> problems = new ArrayList<>();
      FleetReport.lines(SettingsFile.read(file), problems).forEach(System.out::println);
      if (problems.isEmpty() && SettingsFile.read(file).has("targets")) {
        try {
          WorkerConfigFile.load(file, Map.of(), false);
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        } catch (RuntimeException e) {
          problems.add(e.getMessage());
        }
      }
      if (problems.isEmpty()) {
        System.out.println(file + ": ok");
        return 0;
      }
      System.out.println(file + " has " + problems.size() + " problem(s):");
      problems.forEach(p -> System.out.println("  - " + p));
      return 1;
    }
  }
}
