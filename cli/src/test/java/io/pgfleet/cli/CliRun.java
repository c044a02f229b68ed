package io.pgfleet.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/** One {@code pgfleet ...} command line run in-process: its exit code and what it printed. */
public record CliRun(int code, String out, String err) {

  static CliRun of(String... args) {
    return capture(Main::run, args);
  }

  /**
   * Runs {@code main} (this jar's or the dev jar's) in-process, capturing what it printed. Only
   * what the calling thread prints is captured: a worker or dispatcher running in the same JVM logs
   * to {@code System.out} too (logback's console appender writes to whatever stream it is at that
   * moment), and its lines must not pass for the command's output.
   */
  public static CliRun capture(ToIntFunction<String[]> main, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    Thread self = Thread.currentThread();
    try {
      System.setOut(
          new PrintStream(new ThisThreadOnly(self, o, out), true, StandardCharsets.UTF_8));
      System.setErr(
          new PrintStream(new ThisThreadOnly(self, e, err), true, StandardCharsets.UTF_8));
      int code = main.applyAsInt(args);
      return new CliRun(
          code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  /** A command line with the Kafka options of a test's own topics appended. */
  static CliRun withKafka(String bootstrapServers, String topicPrefix, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "-b";
    all[args.length + 1] = bootstrapServers;
    all[args.length + 2] = "--topic-prefix";
    all[args.length + 3] = topicPrefix;
    return of(all);
  }

  /** Bytes written by {@code owner} go to {@code captured}; any other thread's, to {@code rest}. */
  private static final class ThisThreadOnly extends OutputStream {
    private final Thread owner;
    private final OutputStream captured;
    private final OutputStream rest;

    ThisThreadOnly(Thread owner, OutputStream captured, OutputStream rest) {
      this.owner = owner;
      this.captured = captured;
      this.rest = rest;
    }

    private OutputStream target() {
      return Thread.currentThread() == owner ? captured : rest;
    }

    @Override
    public void write(int b) throws IOException {
      target().write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      target().write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      target().flush();
    }
  }
}
