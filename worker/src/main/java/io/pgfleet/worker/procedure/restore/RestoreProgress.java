package io.pgfleet.worker.procedure.restore;

import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which tables a serial pg_restore (no {@code --jobs}, no {@code --single-transaction}) has
 * finished loading, from its {@code --verbose} lines. It prints {@code processing data for table
 * "s.t"} before a table's COPY, and its next line only once that COPY has ended: each COPY runs in
 * its own autocommit transaction, so by then the table's data is committed. After the data,
 * pg_restore only adds indexes, constraints and other post-data items, which do not change what
 * COPY TO writes. Errors and warnings ({@code pg_restore: error: ...}, {@code from TOC entry ...})
 * are not progress.
 */
final class RestoreProgress {
  private static final Pattern PROGRESS =
      Pattern.compile(
          "^pg_restore: (creating|processing|executing|restoring|setting|disabling|enabling) .*");
  private static final Pattern DATA =
      Pattern.compile("^pg_restore: processing data for table \"(.*)\"$");

  private final Consumer<String> committed;
  private String loading;

  /** {@code committed} gets each table ({@code schema.table}) whose data is loaded. */
  RestoreProgress(Consumer<String> committed) {
    this.committed = committed;
  }

  static boolean isProgress(String line) {
    return PROGRESS.matcher(line).matches();
  }

  /** One line of pg_restore's stderr; returns whether it was a progress line. */
  boolean line(String line) {
    if (!isProgress(line)) {
      return false;
    }
    if (loading != null) {
      String done = loading;
      loading = null;
      committed.accept(done);
    }
    Matcher data = DATA.matcher(line);
    if (data.matches()) {
      loading = data.group(1);
    }
    return true;
  }
}
