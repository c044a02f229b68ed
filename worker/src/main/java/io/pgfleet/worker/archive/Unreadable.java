package io.pgfleet.worker.archive;

import java.io.IOException;

/** A layout the custom archive reader does not follow; not an output failure. */
final class Unreadable extends IOException {
  Unreadable(String message) {
    super(message);
  }
}
