package io.pgfleet.worker.run;

import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.ledger.Ledger;
import io.pgfleet.worker.metrics.WorkerMetrics;
import io.pgfleet.worker.result.ResultPublisher;
import io.pgfleet.worker.storage.ArtifactStore;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** What every run of a worker shares. */
record RunServices(
    String workerId,
    Ledger ledger,
    ArtifactStore store,
    ResultPublisher results,
    RunSettings settings,
    ScheduledExecutorService scheduler,
    Resilience resilience,
    WorkerMetrics metrics,
    Clock clock) {}
