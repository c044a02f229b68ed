package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CliRunTest {

  @Test
  void what_another_thread_prints_while_a_command_runs_is_not_the_commands_output() {
    CliRun run =
        CliRun.capture(
            args -> {
              Thread logger =
                  new Thread(
                      () -> {
                        System.out.println("12:26:05 INFO run cli-runs-1 succeeded in 396 ms");
                        System.err.println("12:26:05 WARN something else");
                      });
              logger.start();
              try {
                logger.join();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              System.out.println("status       running");
              System.err.println("own error");
              return 0;
            });

    assertThat(run.out()).isEqualTo("status       running" + System.lineSeparator());
    assertThat(run.err()).isEqualTo("own error" + System.lineSeparator());
  }
}
