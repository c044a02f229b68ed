package io.pgfleet.worker.target;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes the targets' idle connections once unused for a while, so that a target without commands
 * holds no connection of the worker; on shutdown, closes them all.
 */
public final class IdleConnections implements AutoCloseable {
  private final List<TargetDatabase> targets;
  private final ScheduledExecutorService timer;

  private IdleConnections(List<TargetDatabase> targets) {
    this.targets = targets;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pgfleet-idle-connections");
              t.setDaemon(true);
              return t;
            });
  }

  public static IdleConnections watch(Iterable<TargetDatabase> targets) {
    List<TargetDatabase> all = new java.util.ArrayList<>();
    targets.forEach(all::add);
    IdleConnections idle = new IdleConnections(List.copyOf(all));
    long every = TargetPool.IDLE_TIMEOUT.toSeconds() / 2;
    idle.timer.scheduleWithFixedDelay(idle::trim, every, every, TimeUnit.SECONDS);
    return idle;
  }

  private void trim() {
    targets.forEach(TargetDatabase::trimIdle);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    targets.forEach(TargetDatabase::close);
  }
}
