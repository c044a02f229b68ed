package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuMeterTest {
  @Test
  void a_busy_thread_shows_in_the_process_the_jvm_and_the_machine() {
    CpuMeter meter = CpuMeter.start(ProcessHandle.current().pid());
    long until =
        ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + 300_000_000L; // 0.3 s
    long spins = 0;
    while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() < until) {
      spins++;
    }

    CpuMeter.Used used = meter.used();

    assertThat(spins).isPositive();
    assertThat(used.process()).isGreaterThanOrEqualTo(0.25);
    assertThat(used.benchJvm()).isGreaterThanOrEqualTo(0.29);
    // ticks of 10 ms, and time the hypervisor took left out of the machine's count only
    assertThat(used.host()).isGreaterThanOrEqualTo(used.process() * 0.8 - 0.02);
    assertThat(used.describe("self"))
        .matches("cpu [0-9.]+ s \\(bench JVM [0-9.]+, self [0-9.]+, rest -?[0-9.]+\\)");
  }

  @Test
  void the_median_run_is_a_whole_run_so_that_its_parts_add_up() {
    List<CpuMeter.Used> runs =
        List.of(
            new CpuMeter.Used(9, 1, 2), new CpuMeter.Used(3, 2, 0), new CpuMeter.Used(5, 4, 0.5));

    assertThat(CpuMeter.Used.median(runs)).isEqualTo(new CpuMeter.Used(5, 4, 0.5));
    assertThat(CpuMeter.Used.median(runs.subList(0, 2))).isEqualTo(new CpuMeter.Used(3, 2, 0));
  }
}
