package io.pgfleet.dev;

import java.io.PrintStream;

/** How a demo announces its steps and how long each took. */
final class DemoSteps {
  private final PrintStream out;

  DemoSteps(PrintStream out) {
    this.out = out;
  }

  void step(String what) {
    out.println("▸ " + what);
  }

  void done(long t0) {
    out.printf("  done (%.1f s)%n", seconds(t0));
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
