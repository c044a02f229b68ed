package io.pgfleet.bench.scale;

import io.pgfleet.bench.CpuMeter;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker started as a child JVM ({@link IdleWorkerMain}) from a config file written for it, whose
 * CPU time and resident memory are read from {@code /proc}. Secrets reach it through its
 * environment, never its command line or the file.
 */
public final class WorkerProcess implements AutoCloseable {
  static final String JVM_OPTIONS = "PGFLEET_BENCH_WORKER_JAVA_OPTS";

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;

  private WorkerProcess(Process process) {
    this.process = process;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
  }

  static WorkerProcess start(WorkerConfig config, Path dir) throws IOException {
    return start(config, dir, List.of("-Xmx512m"));
  }

  /** A worker in a child JVM started with {@code jvmOptions} (none: the JVM's own defaults). */
  public static WorkerProcess start(WorkerConfig config, Path dir, List<String> jvmOptions)
      throws IOException {
    Path file = dir.resolve("idle-worker.yaml");
    Files.writeString(file, yaml(config));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(extraJvmOptions());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            IdleWorkerMain.class.getName(),
            file.toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectError(dir.resolve("idle-worker.log").toFile());
    pb.environment().put("BENCH_LEDGER_PASSWORD", config.ledger().password().reveal());
    pb.environment().put("BENCH_S3_ACCESS_KEY", config.storage().accessKey().reveal());
    pb.environment().put("BENCH_S3_SECRET_KEY", config.storage().secretKey().reveal());
    pb.environment().put("PGFLEET_LOG_LEVEL", "WARN");
    pb.environment().put("MALLOC_ARENA_MAX", "2"); // as the shipped launchers set it
    WorkerProcess worker = new WorkerProcess(pb.start());
    worker.await("started");
    return worker;
  }

  /**
   * JVM options for the worker's process only, e.g. a JFR recording of its start-up: from {@value
   * #JVM_OPTIONS}, split at spaces.
   */
  static List<String> extraJvmOptions() {
    String options = System.getenv(JVM_OPTIONS);
    return options == null || options.isBlank() ? List.of() : List.of(options.trim().split(" +"));
  }

  public long pid() {
    return process.pid();
  }

  /** User plus system CPU time the process used so far, in seconds. */
  double cpuSeconds() {
    return CpuMeter.processTicks(pid()) / CpuMeter.TICKS_PER_SECOND;
  }

  /** Resident memory, bytes. */
  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for process " + pid());
  }

  /** Heap in use after a GC, bytes, as the worker's JVM reports it. */
  public long heapBytes() throws IOException {
    in.println("heap");
    return Long.parseLong(await("heap ").substring("heap ".length()).trim());
  }

  private String await(String answer) throws IOException {
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith(IdleWorkerMain.PREFIX + answer)) {
        return line.substring(IdleWorkerMain.PREFIX.length());
      }
    }
    throw new IOException("the worker process ended before it said '" + answer + "'");
  }

  @Override
  public void close() throws InterruptedException {
    in.println("stop");
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static String yaml(WorkerConfig c) {
    List<String> lines = new ArrayList<>();
    lines.add("worker:");
    lines.add("  id: " + c.workerId());
    lines.add("kafka:");
    lines.add("  bootstrapServers: " + c.kafka().bootstrapServers());
    lines.add("  topicPrefix: " + c.kafka().topics().prefix());
    lines.add("  groupId: " + c.kafka().groupId());
    lines.add("ledger:");
    lines.add("  url: " + c.ledger().jdbcUrl());
    lines.add("  user: " + c.ledger().user());
    lines.add("  password: {env: BENCH_LEDGER_PASSWORD}");
    lines.add("storage:");
    lines.add("  endpoint: " + c.storage().endpoint());
    lines.add("  region: " + c.storage().region());
    lines.add("  bucket: " + c.storage().bucket());
    lines.add("  prefix: " + c.storage().prefix());
    lines.add("  accessKey: {env: BENCH_S3_ACCESS_KEY}");
    lines.add("  secretKey: {env: BENCH_S3_SECRET_KEY}");
    if (c.storage().caFile() != null) {
      // quoted: a temporary directory's path may hold YAML's ': ' or ' #'
      lines.add("  caFile: '" + c.storage().caFile().toString().replace("'", "''") + "'");
    }
    lines.add("security:");
    lines.add("  signaturePolicy: none");
    lines.add("targets:");
    for (Map.Entry<String, TargetConfig> e : c.targets().entrySet()) {
      TargetConfig t = e.getValue();
      lines.add("  " + e.getKey() + ":");
      lines.add("    host: " + t.host());
      lines.add("    port: " + t.port());
      lines.add("    database: " + t.database());
      lines.add("    user: " + t.user());
      lines.add("    password: {env: BENCH_LEDGER_PASSWORD}");
      lines.add("    sslMode: disable");
      lines.add("    operations: [backup, analyze]");
    }
    return String.join("\n", lines) + "\n";
  }
}
