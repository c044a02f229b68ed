package io.pgfleet.worker.ledger;

import java.time.Instant;

/**
 * A worker's claim on a command. {@code attempt} is the fencing token: once another worker took the
 * command over with a higher attempt, this lease can neither be renewed nor finish the run.
 *
 * @param startedAt when this attempt started (the ledger's clock)
 * @param firstClaimedAt when the first attempt claimed the command (the ledger's clock): the same
 *     for every attempt, and never the producer's claim, so artifact paths are dated by it
 */
public record Lease(
    String commandId,
    String target,
    int attempt,
    String worker,
    Instant startedAt,
    Instant firstClaimedAt) {}
