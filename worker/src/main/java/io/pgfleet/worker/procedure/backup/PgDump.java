package io.pgfleet.worker.procedure.backup;

import io.pgfleet.worker.procedure.Cancellation;
import io.pgfleet.worker.target.PgTools;
import io.pgfleet.worker.tool.StreamTail;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** One pg_dump process whose archive is streamed to an output, with its stderr kept. */
public final class PgDump {
  private static final int CHUNK = 256 * 1024;

  private final PgTools.Tool tool;
  private final List<String> arguments;
  private final Map<String, String> environment;

  public PgDump(PgTools.Tool tool, List<String> arguments, Map<String, String> environment) {
    this.tool = tool;
    this.arguments = List.copyOf(arguments);
    this.environment = Map.copyOf(environment);
  }

  /** What the process did: its exit code and the tail of what it printed on stderr. */
  public record Exit(int code, String stderr) {}

  /** Reads the archive from pg_dump's stdout, to its end. */
  public interface Reader {
    void read(InputStream archive) throws IOException;
  }

  Exit streamTo(OutputStream out, LongConsumer onBytes, Cancellation cancellation)
      throws IOException, InterruptedException {
    return run(
        in -> {
          byte[] chunk = new byte[CHUNK];
          long total = 0;
          for (int n; (n = in.read(chunk)) >= 0; ) {
            out.write(chunk, 0, n);
            total += n;
            onBytes.accept(total);
          }
        },
        cancellation);
  }

  /** Runs pg_dump with {@code reader} consuming its archive. */
  public Exit run(Reader reader, Cancellation cancellation)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().put("LC_ALL", "C.UTF-8");
    builder.environment().putAll(environment);
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    cancellation.onCancel(process::destroyForcibly);
    StreamTail stderr = new StreamTail(process.getErrorStream(), "pg_dump-stderr");
    stderr.start();
    try (InputStream in = process.getInputStream()) {
      reader.read(in);
    } catch (IOException e) {
      process.destroyForcibly();
      cancellation.check();
      throw e;
    }
    process.waitFor();
    stderr.join(TimeUnit.SECONDS.toMillis(10));
    cancellation.check();
    return new Exit(process.exitValue(), stderr.text());
  }

  private List<String> command() {
    return java.util.stream.Stream.concat(
            java.util.stream.Stream.of(tool.path().toString()), arguments.stream())
        .toList();
  }
}
