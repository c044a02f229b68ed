package io.pgfleet.worker.tool;

import java.io.IOException;

/** A tool that did not end within its bound, or ended in failure. */
public final class ToolFailed extends IOException {
  ToolFailed(String message) {
    super(message);
  }
}
