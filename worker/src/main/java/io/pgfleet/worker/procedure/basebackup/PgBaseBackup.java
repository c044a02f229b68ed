package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.procedure.StderrTail;
import io.pgfleet.worker.target.PgTools;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pg_basebackup run into a local directory: tar format, the WAL the backup needs fetched into
 * it, a backup_manifest with SHA256 checksums. The connection travels in the environment.
 */
final class PgBaseBackup {
  private final PgTools.Tool tool;
  private final Map<String, String> environment;

  PgBaseBackup(PgTools.Tool tool, Map<String, String> environment) {
    this.tool = tool;
    this.environment = Map.copyOf(environment);
  }

  record Exit(int code, String stderr) {}

  Exit run(Path directory, String label, String checkpoint, Cancellation cancellation)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(tool.path().toString());
    command.add("--pgdata=" + directory);
    command.add("--format=tar");
    command.add("--wal-method=fetch");
    command.add("--checkpoint=" + checkpoint);
    command.add("--label=" + label);
    command.add("--manifest-checksums=SHA256");
    command.add("--no-password");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().put("LC_ALL", "C.UTF-8");
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    cancellation.onCancel(process::destroyForcibly);
    StderrTail stderr = new StderrTail(process.getErrorStream(), "pg_basebackup");
    stderr.start();
    process.waitFor();
    stderr.join(TimeUnit.SECONDS.toMillis(10));
    cancellation.check();
    return new Exit(process.exitValue(), stderr.text());
  }
}
