package io.pgfleet.worker.intake;

import io.pgfleet.worker.storage.StorageException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Whether a failure to handle a record can go away by itself (a server down, a connection lost, a
 * serialization conflict), so the record is tried again, or whether trying again would fail the
 * same way, so it is dead-lettered.
 */
final class Transience {
  /** SQLSTATE classes of failures that can pass: connection, resources, operator, conflicts. */
  private static final Set<String> TRANSIENT_SQL_CLASSES = Set.of("08", "40", "53", "57", "58");

  private Transience() {}

  static boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientException
          || t instanceof SQLRecoverableException
          || t instanceof StorageException
          || t instanceof RetriableException
          || t instanceof IOException) {
        return true;
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().length() == 5) {
        return TRANSIENT_SQL_CLASSES.contains(sql.getSQLState().substring(0, 2));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
