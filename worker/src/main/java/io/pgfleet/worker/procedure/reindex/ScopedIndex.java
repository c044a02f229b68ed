package io.pgfleet.worker.procedure.reindex;

import io.pgfleet.worker.sql.TableRef;
import java.util.regex.Pattern;

/** An index in a reindex's scope, its validity and size. */
record ScopedIndex(String schema, String name, boolean valid, long bytes) {
  /** The names PostgreSQL gives the copies a concurrent rebuild makes: {@code <index>_ccnew1}. */
  private static final Pattern LEFTOVER = Pattern.compile(".*_cc(new|old)\\d*");

  String qualified() {
    return TableRef.quote(schema) + "." + TableRef.quote(name);
  }

  /** A leftover of a failed concurrent rebuild. */
  boolean leftover() {
    return !valid && LEFTOVER.matcher(name).matches();
  }

  @Override
  public String toString() {
    return schema + "." + name;
  }
}
