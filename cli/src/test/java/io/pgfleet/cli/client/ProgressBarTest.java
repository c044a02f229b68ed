package io.pgfleet.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.result.Progress;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void a_bar_shows_the_share_done_the_sizes_and_the_rate() {
    String bar =
        ProgressBar.render(
            "order_db backup", new Progress(128L << 20, 256L << 20, 8.0 * (1 << 20)));

    assertThat(bar)
        .isEqualTo(
            "[############------------]  50%  128.0 MB of 256.0 MB  8.0 MB/s  order_db backup");
  }

  @Test
  void without_an_estimate_the_bar_shows_bytes_done_only() {
    assertThat(ProgressBar.render("x restore", new Progress(2048, null, null)))
        .isEqualTo("[????????????????????????]  2.0 KB  x restore");
  }

  @Test
  void an_estimate_exceeded_is_shown_full_not_overflowing() {
    assertThat(ProgressBar.render("x", new Progress(300, 200L, null)))
        .startsWith("[########################] 100%");
  }
}
