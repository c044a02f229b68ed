package io.pgfleet.worker.procedure.backup;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.storage.Manifest;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The rows of every table counted in the dump's snapshot while pg_dump runs. */
final class BackgroundRowCount {
  private final CompletableFuture<List<Manifest.TableCount>> counts;

  private BackgroundRowCount(CompletableFuture<List<Manifest.TableCount>> counts) {
    this.counts = counts;
  }

  static BackgroundRowCount start(DumpSnapshot snapshot) {
    return new BackgroundRowCount(
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return snapshot.countRows();
              } catch (SQLException e) {
                throw new IllegalStateException("counting rows failed: " + e.getMessage(), e);
              }
            },
            task -> {
              Thread t = new Thread(task, "pgfleet-row-count");
              t.setDaemon(true);
              t.start();
            }));
  }

  List<Manifest.TableCount> await() throws ProcedureFailure, InterruptedException {
    try {
      return counts.get();
    } catch (ExecutionException e) {
      throw new ProcedureFailure(ErrorCode.TARGET_ERROR, e.getCause().getMessage(), e.getCause());
    }
  }
}
