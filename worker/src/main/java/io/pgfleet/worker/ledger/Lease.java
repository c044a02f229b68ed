package io.pgfleet.worker.ledger;

import java.time.Instant;

/**
 * A worker's claim on a command. {@code attempt} is the fencing token: once another worker took the
 * command over with a higher attempt, this lease can neither be renewed nor finish the run.
 */
public record Lease(
    String commandId, String target, int attempt, String worker, Instant startedAt) {}
