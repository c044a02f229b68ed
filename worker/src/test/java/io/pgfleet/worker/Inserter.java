package io.pgfleet.worker;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** A service writing new outbox events on its own connection, one short transaction each. */
final class Inserter implements AutoCloseable {
  private final List<String> ids = new CopyOnWriteArrayList<>();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean stopped;

  Inserter(Sql db) {
    thread =
        new Thread(
            () -> {
              try (Connection c = db.connect();
                  PreparedStatement ps =
                      c.prepareStatement(
                          "INSERT INTO outbox_events"
                              + " (aggregate_id, event_type, payload, status, created_at)"
                              + " VALUES (1, 'OrderCreated', '{}', 'pending', now()) RETURNING id")) {
                while (!stopped) {
                  try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ids.add(rs.getString(1));
                  }
                  Thread.sleep(2);
                }
              } catch (Exception e) {
                failure.set(e);
              }
            },
            "test-inserter");
    thread.start();
  }

  /** Ids of the rows inserted so far. */
  List<String> ids() {
    return List.copyOf(ids);
  }

  Exception failure() {
    return failure.get();
  }

  @Override
  public void close() throws InterruptedException {
    stopped = true;
    thread.join(10_000);
  }
}
