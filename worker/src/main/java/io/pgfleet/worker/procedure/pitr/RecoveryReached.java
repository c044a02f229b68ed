package io.pgfleet.worker.procedure.pitr;

import java.time.Instant;

/** Where recovery ended: the last replayed LSN and commit time. */
record RecoveryReached(String lsn, Instant time, int timeline) {}
