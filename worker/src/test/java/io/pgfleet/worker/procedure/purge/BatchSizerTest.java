package io.pgfleet.worker.procedure.purge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchSizerTest {
  private final BatchSizer sizer = new BatchSizer(1_000, 50_000, Duration.ofMillis(200));

  @Test
  void fast_batches_grow_at_most_twofold_each_time_up_to_the_maximum() {
    for (int i = 0; i < 10; i++) {
      int before = sizer.size();
      sizer.record(before, ms(1));
      assertThat(sizer.size()).isEqualTo(Math.min(2 * before, 50_000));
    }
    assertThat(sizer.size()).isEqualTo(50_000);
  }

  @Test
  void a_slow_batch_shrinks_the_next_one_to_fit_the_target_time_at_once() {
    sizer.record(1_000, ms(2_000));

    assertThat(sizer.size()).isEqualTo(100);
  }

  @Test
  void a_batch_near_the_target_keeps_its_size_and_an_empty_one_changes_nothing() {
    sizer.record(1_000, ms(200));
    assertThat(sizer.size()).isEqualTo(1_000);

    sizer.record(0, ms(5_000));
    assertThat(sizer.size()).isEqualTo(1_000);
  }

  @Test
  void the_size_never_drops_below_one_row() {
    sizer.record(1, ms(60_000));

    assertThat(sizer.size()).isEqualTo(1);
  }

  @Test
  void a_batch_that_did_all_the_work_its_units_can_cost_lets_the_next_fill_the_target_at_once() {
    sizer.record(1_000, ms(2), 1.0);

    assertThat(sizer.size()).isEqualTo(50_000); // 100,000 would fit 200 ms: capped at the maximum

    BatchSizer wide = new BatchSizer(10, 1_000_000, Duration.ofMillis(200));
    wide.record(10, ms(1), 1.0);
    assertThat(wide.size()).isEqualTo(2_000);
  }

  @Test
  void a_batch_that_did_a_part_of_its_worst_case_grows_only_as_far_as_that_worst_case_fits() {
    BatchSizer wide = new BatchSizer(10, 1_000_000, Duration.ofMillis(200));
    wide.record(10, ms(1), 0.25); // at worst 4 ms per 10 units: 500 fit 200 ms

    assertThat(wide.size()).isEqualTo(500);

    BatchSizer unknown = new BatchSizer(10, 1_000_000, Duration.ofMillis(200));
    unknown.record(10, ms(1), 0);
    assertThat(unknown.size()).isEqualTo(20);
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }
}
