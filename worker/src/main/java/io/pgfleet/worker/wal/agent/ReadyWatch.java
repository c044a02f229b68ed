package io.pgfleet.worker.wal.agent;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.function.Consumer;

/**
 * Calls {@code onChange} whenever a file appears in {@code archive_status} (inotify on Linux), so a
 * segment is pushed the moment PostgreSQL marks it ready rather than at the next periodic look.
 */
final class ReadyWatch implements AutoCloseable {
  private final WatchService service;
  private final Thread thread;

  private ReadyWatch(WatchService service, Thread thread) {
    this.service = service;
    this.thread = thread;
  }

  static ReadyWatch start(Path archiveStatus, Runnable onChange, Consumer<String> log) {
    try {
      WatchService service = FileSystems.getDefault().newWatchService();
      archiveStatus.register(
          service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      Thread thread =
          new Thread(
              () -> {
                try {
                  while (true) {
                    WatchKey key = service.take();
                    key.pollEvents();
                    key.reset();
                    try {
                      onChange.run();
                    } catch (RuntimeException e) {
                      log.accept("wal-agent: " + e.getMessage());
                    }
                  }
                } catch (InterruptedException | ClosedWatchServiceException e) {
                  // closed: the periodic look goes on until the agent stops
                }
              },
              "wal-agent-watch");
      thread.setDaemon(true);
      thread.start();
      return new ReadyWatch(service, thread);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot watch " + archiveStatus + ": " + e.getMessage() + " (is --pg-wal right?)", e);
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
    thread.interrupt();
  }
}
