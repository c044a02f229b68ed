package io.pgfleet.worker.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes (sh scripts): what a call returns, and that nothing it started outlives it. */
class ToolCallTest {
  private static ToolCall sh(String script) {
    return ToolCall.of(List.of("sh", "-c", script)).named("script");
  }

  /** A script that writes its own pid and its child's to {@code pids}, then waits on the child. */
  private static String sleeperWritingPids(Path pids) {
    return "sleep 600 & echo $$ $! > '"
        + pids
        + ".tmp'; mv '"
        + pids
        + ".tmp' '"
        + pids
        + "'; wait";
  }

  private static List<Long> awaitPids(Path pids) {
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pids));
    try {
      return List.of(Files.readString(pids).trim().split(" ")).stream()
          .map(Long::parseLong)
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertNoneAlive(List<Long> pids) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(pids)
                    .allSatisfy(
                        pid ->
                            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                                .as("pid " + pid + " alive")
                                .isNotEqualTo(java.util.Optional.of(true))));
  }

  @Test
  void without_the_worker_environment_a_tool_sees_only_what_the_call_sets() throws Exception {
    assertThat(System.getenv("HOME")).as("the test JVM's own environment").isNotBlank();
    ToolResult result =
        ToolCall.of(List.of("/bin/sh", "-c", "echo \"[$HOME][$ONLY]\""))
            .withoutWorkerEnv()
            .env(Map.of("ONLY", "this"))
            .run()
            .requireSuccess();

    assertThat(result.stdout()).isEqualTo("[][this]");
  }

  @Test
  void a_tool_that_succeeds_returns_each_stream_and_its_exit_code() throws Exception {
    ToolResult result =
        sh("echo \"out $GREETING\"; echo err >&2")
            .env(Map.of("GREETING", "hello"))
            .run()
            .requireSuccess();

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("out hello");
    assertThat(result.stderr()).isEqualTo("err");
  }

  @Test
  void a_tool_that_fails_is_named_with_its_code_and_the_end_of_its_stderr() throws Exception {
    ToolResult result = sh("echo 'some progress'; echo 'no such file' >&2; exit 3").run();

    assertThat(result.exitCode()).isEqualTo(3);
    assertThatThrownBy(result::requireSuccess)
        .isInstanceOf(ToolFailed.class)
        .hasMessage("script exited with code 3: no such file | stdout: some progress");
  }

  @Test
  void a_failure_quotes_only_the_end_of_a_long_output() throws Exception {
    ToolResult result = sh("yes 'line' | head -c 100000 >&2; echo 'the reason' >&2; exit 1").run();

    assertThat(result.failure())
        .startsWith("script exited with code 1: ...")
        .endsWith("the reason")
        .hasSizeLessThan(ToolResult.QUOTED + 100);
  }

  @Test
  void a_tool_that_cannot_start_is_an_io_error_naming_it_not_a_tool_failure(@TempDir Path dir) {
    assertThatThrownBy(() -> ToolCall.of(List.of(dir.resolve("pg_nothing").toString())).run())
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(ToolFailed.class)
        .hasMessageStartingWith("cannot run pg_nothing");
  }

  @Test
  void a_tool_that_never_ends_is_killed_at_its_bound_with_what_it_started(@TempDir Path dir) {
    Path pids = dir.resolve("pids");
    long t0 = System.nanoTime();

    assertThatThrownBy(() -> sh(sleeperWritingPids(pids)).within(Duration.ofSeconds(2)).run())
        .isInstanceOf(ToolFailed.class)
        .hasMessage("script did not end within 2 s and was killed");

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    assertNoneAlive(awaitPids(pids));
  }

  @Test
  void megabytes_on_both_streams_do_not_block_the_tool() throws Exception {
    ToolResult result =
        sh("yes err | head -c 4000000 >&2; yes out | head -c 4000000; echo end")
            .within(Duration.ofSeconds(30))
            .run()
            .requireSuccess();

    assertThat(result.stdout()).endsWith("out\nend");
    assertThat(result.stderr()).endsWith("err");
    assertThat(result.stdout().length()).isLessThanOrEqualTo(16 * 1024);
  }

  @Test
  void an_interrupted_caller_kills_the_tool_and_what_it_started(@TempDir Path dir)
      throws Exception {
    Path pids = dir.resolve("pids");
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                sh(sleeperWritingPids(pids)).within(Duration.ofMinutes(5)).run();
                ended.complete(null);
              } catch (Throwable e) {
                ended.complete(e);
              }
            });
    caller.start();
    List<Long> started = awaitPids(pids);

    caller.interrupt();

    assertThat(ended.get()).isInstanceOf(InterruptedException.class);
    assertNoneAlive(started);
  }

  @Test
  void a_stop_from_outside_kills_the_tool_and_the_call_ends_with_its_exit(@TempDir Path dir)
      throws Exception {
    Path pids = dir.resolve("pids");
    AtomicReference<Runnable> stop = new AtomicReference<>();
    CompletableFuture<ToolResult> call =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return sh(sleeperWritingPids(pids))
                    .within(Duration.ofMinutes(5))
                    .stoppedBy(stop::set)
                    .run();
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    List<Long> started = awaitPids(pids);

    stop.get().run();

    assertThat(call.get().exitCode()).isNotZero();
    assertNoneAlive(started);
  }

  @Test
  void a_child_left_holding_the_streams_does_not_hold_the_call(@TempDir Path dir) throws Exception {
    Path pids = dir.resolve("pids");
    long t0 = System.nanoTime();

    ToolResult result =
        sh("sleep 600 & echo $! > '" + pids + "'; echo started")
            .within(Duration.ofMinutes(1))
            .run()
            .requireSuccess();

    try {
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
      assertThat(result.stdout()).isEqualTo("started");
    } finally {
      awaitPids(pids).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    }
  }
}
