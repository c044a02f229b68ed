package io.pgfleet.worker.procedure.purge;

/**
 * The pages of one pass that no session has claimed yet: the sessions claim the next slice in turn,
 * so that together they read every page once.
 */
final class PageClaims {
  private long next;
  private long pages;

  /** Starts the pass over the table's first {@code pages} pages. */
  synchronized void start(long pages) {
    this.pages = pages;
  }

  /** The next {@code slice} pages to purge, or null when the pass is over or stopped. */
  synchronized long[] claim(int slice) {
    if (next >= pages) {
      return null;
    }
    long from = next;
    next = Math.min(pages, from + slice);
    return new long[] {from, next};
  }

  synchronized boolean passed() {
    return next >= pages;
  }

  /** After a failure: no session claims another slice. */
  synchronized void stop() {
    next = pages;
  }
}
