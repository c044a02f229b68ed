package io.pgfleet.worker.procedure;

import io.pgfleet.commands.Command;
import io.pgfleet.worker.ledger.Lease;
import io.pgfleet.worker.storage.Artifacts;
import io.pgfleet.worker.target.TargetDatabase;

/** Everything a procedure may use for one run. */
public record RunContext(
    Command command,
    Lease lease,
    TargetDatabase target,
    Artifacts store,
    ProgressSink progress,
    Cancellation cancellation) {}
