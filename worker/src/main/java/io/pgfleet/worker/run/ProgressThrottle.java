package io.pgfleet.worker.run;

import io.pgfleet.commands.result.Progress;
import io.pgfleet.worker.procedure.ProgressSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** Passes progress on at most once per interval, with the mean rate since the run began. */
final class ProgressThrottle implements ProgressSink {
  private final Clock clock;
  private final Duration interval;
  private final Instant startedAt;
  private final Consumer<Progress> publish;
  private Instant last;

  ProgressThrottle(Clock clock, Duration interval, Consumer<Progress> publish) {
    this.clock = clock;
    this.interval = interval;
    this.startedAt = clock.instant();
    this.last = startedAt;
    this.publish = publish;
  }

  @Override
  public void report(long bytesDone, Long estimatedBytes) {
    Instant now = clock.instant();
    if (Duration.between(last, now).compareTo(interval) < 0) {
      return;
    }
    last = now;
    double seconds = Math.max(0.001, Duration.between(startedAt, now).toMillis() / 1000.0);
    publish.accept(new Progress(bytesDone, estimatedBytes, bytesDone / seconds));
  }
}
