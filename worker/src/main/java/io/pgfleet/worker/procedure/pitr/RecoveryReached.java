package io.pgfleet.worker.procedure.pitr;

import java.time.Instant;

/**
 * Where recovery ended: the last replayed LSN and commit time, both null for a server that stopped
 * at its target (its control file keeps neither), and the timeline.
 */
record RecoveryReached(String lsn, Instant time, int timeline) {}
