package io.pgfleet.worker.procedure.basebackup;

import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.tool.StreamTail;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pg_basebackup run, into a local directory or as one tar on its stdout: tar format, the WAL
 * the backup needs fetched into it, a backup_manifest with SHA256 checksums. The connection travels
 * in the environment.
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
    Running running = start(directory.toString(), label, checkpoint, cancellation);
    return running.await(cancellation);
  }

  /** pg_basebackup writing one tar to its stdout: the cluster must have no other tablespace. */
  Running streaming(String label, String checkpoint, Cancellation cancellation) throws IOException {
    return start("-", label, checkpoint, cancellation);
  }

  /** A started pg_basebackup: its stdout (the tar when streaming) and its end. */
  record Running(Process process, StreamTail stderr) {
    InputStream stdout() {
      return process.getInputStream();
    }

    Exit await(Cancellation cancellation) throws InterruptedException {
      process.waitFor();
      stderr.join(TimeUnit.SECONDS.toMillis(10));
      cancellation.check();
      return new Exit(process.exitValue(), stderr.text());
    }
  }

  private Running start(String pgdata, String label, String checkpoint, Cancellation cancellation)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(tool.path().toString());
    command.add("--pgdata=" + pgdata);
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
    if (!pgdata.equals("-")) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    Process process = builder.start();
    cancellation.onCancel(process::destroyForcibly);
    StreamTail stderr = new StreamTail(process.getErrorStream(), "pg_basebackup-stderr");
    stderr.start();
    return new Running(process, stderr);
  }
}
