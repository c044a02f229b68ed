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
 *
 * <p>It also says when the post-data section has begun (the first index or constraint) and when a
 * constraint has been created ({@code creating CONSTRAINT "s.t name"}, then its next line): a
 * PRIMARY KEY or UNIQUE constraint takes an ACCESS EXCLUSIVE lock, so a table read while it waits
 * for one holds pg_restore up.
 */
final class RestoreProgress implements VerboseListener {
  private static final Pattern DATA =
      Pattern.compile("^pg_restore: processing data for table \"(.*)\"$");
  private static final Pattern CONSTRAINT =
      Pattern.compile("^pg_restore: creating CONSTRAINT \"(.*)\"$");
  private static final Pattern POST_DATA =
      Pattern.compile("^pg_restore: creating (CONSTRAINT|INDEX|FK CONSTRAINT|TRIGGER|RULE) .*");

  private final Consumer<String> committed;
  private final Consumer<String> constrained;
  private final Runnable postData;
  private String loading;
  private String constraining;
  private boolean inPostData;

  /** {@code committed} gets each table ({@code schema.table}) whose data is loaded. */
  RestoreProgress(Consumer<String> committed) {
    this(committed, c -> {}, () -> {});
  }

  /**
   * @param constrained gets each created constraint as printed ({@code schema.table name})
   * @param postData told once, when the first post-data item begins
   */
  RestoreProgress(Consumer<String> committed, Consumer<String> constrained, Runnable postData) {
    this.committed = committed;
    this.constrained = constrained;
    this.postData = postData;
  }

  /** One line of pg_restore's stderr; returns whether it was a progress line. */
  @Override
  public boolean line(String line) {
    if (!isProgress(line)) {
      return false;
    }
    if (loading != null) {
      String done = loading;
      loading = null;
      committed.accept(done);
    }
    if (constraining != null) {
      String done = constraining;
      constraining = null;
      constrained.accept(done);
    }
    Matcher data = DATA.matcher(line);
    if (data.matches()) {
      loading = data.group(1);
    }
    if (!inPostData && POST_DATA.matcher(line).matches()) {
      inPostData = true;
      postData.run();
    }
    Matcher constraint = CONSTRAINT.matcher(line);
    if (constraint.matches()) {
      constraining = constraint.group(1);
    }
    return true;
  }
}
