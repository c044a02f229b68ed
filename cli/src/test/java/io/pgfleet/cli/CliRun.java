package io.pgfleet.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

/** One {@code pgfleet ...} command line run in-process: its exit code and what it printed. */
public record CliRun(int code, String out, String err) {

  static CliRun of(String... args) {
    return capture(Main::run, args);
  }

  /** Runs {@code main} (this jar's or the dev jar's) in-process, capturing what it printed. */
  public static CliRun capture(ToIntFunction<String[]> main, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
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
}
