package io.pgfleet.worker.tool;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One run of a tool to its end, bounded: {@code pg_controldata}, {@code pg_verifybackup}, {@code
 * chown -R}, {@code pg_amcheck}, {@code pg_repack}. The tool gets the worker's environment plus
 * what {@link #env} adds, and no input; both of its streams are drained (the last 16 KiB of each
 * kept), so a chatty tool never blocks on a full pipe. A tool still running after the bound, on an
 * interrupt, on a stop or on an exception is killed with everything it started.
 *
 * <pre>{@code
 * String out =
 *     ToolCall.of(List.of("pg_controldata", dir.toString()))
 *         .env(Map.of("LC_ALL", "C"))
 *         .within(Duration.ofMinutes(1))
 *         .run()
 *         .requireSuccess()
 *         .stdout();
 * }</pre>
 */
public final class ToolCall {
  /** How long the streams may take to end after the tool did: a child may hold them open. */
  private static final long DRAIN_MILLIS = 5_000;

  private final List<String> command;
  private final String name;
  private final boolean inheritEnv;
  private final Map<String, String> env;
  private final Duration bound;
  private final Consumer<Runnable> stopHook;

  private ToolCall(
      List<String> command,
      String name,
      boolean inheritEnv,
      Map<String, String> env,
      Duration bound,
      Consumer<Runnable> stopHook) {
    this.command = command;
    this.name = name;
    this.inheritEnv = inheritEnv;
    this.env = env;
    this.bound = bound;
    this.stopHook = stopHook;
  }

  /** {@code command}, named in messages by its program's file name, bounded to one minute. */
  public static ToolCall of(List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a tool call needs a command");
    }
    String program = Path.of(command.get(0)).getFileName().toString();
    return new ToolCall(
        List.copyOf(command), program, true, Map.of(), Duration.ofMinutes(1), r -> {});
  }

  /** The name messages use, when the program is a wrapper (setpriv) of the tool. */
  public ToolCall named(String tool) {
    return new ToolCall(command, tool, inheritEnv, env, bound, stopHook);
  }

  /**
   * The tool gets only what {@link #env} sets, none of the worker's environment: for a tool that
   * connects to a target, so no other setting of the worker's (a PGHOST, a PGPASSWORD) reaches it.
   */
  public ToolCall withoutWorkerEnv() {
    return new ToolCall(command, name, false, env, bound, stopHook);
  }

  /** Variables set for the tool on top of the worker's environment. */
  public ToolCall env(Map<String, String> variables) {
    Map<String, String> more = new LinkedHashMap<>(env);
    more.putAll(variables);
    return new ToolCall(command, name, inheritEnv, more, bound, stopHook);
  }

  /** The longest the tool may run before it is killed and the call fails. */
  public ToolCall within(Duration limit) {
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("a tool call's bound must be positive: " + limit);
    }
    return new ToolCall(command, name, inheritEnv, env, limit, stopHook);
  }

  /**
   * Hands {@code register} the action that kills the running tool, for a stop from outside: pass
   * {@code cancellation::onCancel}. A killed tool ends the call with its exit code (non-zero).
   */
  public ToolCall stoppedBy(Consumer<Runnable> register) {
    return new ToolCall(command, name, inheritEnv, env, bound, register);
  }

  /**
   * Runs the tool to its end.
   *
   * @throws ToolFailed when it is still running after the bound (then killed)
   * @throws IOException when it cannot start (not installed, not executable)
   * @throws InterruptedException when the caller is interrupted (the tool is killed)
   */
  public ToolResult run() throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (!inheritEnv) {
      builder.environment().clear();
    }
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("cannot run " + name + ": " + e.getMessage(), e);
    }
    boolean ended = false;
    try {
      stopHook.accept(() -> killTree(process));
      StreamTail stdout = new StreamTail(process.getInputStream(), name + "-stdout");
      StreamTail stderr = new StreamTail(process.getErrorStream(), name + "-stderr");
      stdout.start();
      stderr.start();
      if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(process);
        throw new ToolFailed(
            name + " did not end within " + human(bound) + " and was killed" + said(stderr.text()));
      }
      ended = true;
      long drainedBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
      stdout.join(DRAIN_MILLIS);
      stderr.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(drainedBy - System.nanoTime())));
      return new ToolResult(name, process.exitValue(), stdout.text(), stderr.text());
    } finally {
      if (!ended) {
        killTree(process); // interrupted, or the drains could not start: nothing is left running
      }
    }
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  static String said(String text) {
    return text.isBlank() ? "" : ": " + ToolResult.tail(text);
  }

  /** The tool and what it started; its children are listed first, as its end reparents them. */
  static void killTree(Process process) {
    if (!process.isAlive()) {
      return; // a stop after the end: its pid may be another process's by now
    }
    List<ProcessHandle> below = process.descendants().toList();
    process.destroyForcibly();
    below.forEach(ProcessHandle::destroyForcibly);
  }
}
