package io.pgfleet.worker.procedure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stops a run from outside: a lost lease or a shutdown. Blocking reads from a child process are not
 * interruptible, so a procedure registers how to stop what it started (destroy the process).
 */
public final class Cancellation {
  private final List<Runnable> onCancel = new CopyOnWriteArrayList<>();
  private volatile String reason;

  public void onCancel(Runnable action) {
    onCancel.add(action);
    if (reason != null) {
      action.run();
    }
  }

  public void cancel(String why) {
    if (reason == null) {
      reason = why;
      onCancel.forEach(Runnable::run);
    }
  }

  public boolean isCancelled() {
    return reason != null;
  }

  public String reason() {
    return reason;
  }

  /** Throws if the run was cancelled, for procedures to check between steps. */
  public void check() throws InterruptedException {
    if (reason != null) {
      throw new InterruptedException(reason);
    }
  }
}
