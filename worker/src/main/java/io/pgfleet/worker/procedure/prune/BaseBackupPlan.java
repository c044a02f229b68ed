package io.pgfleet.worker.procedure.prune;

import java.util.List;

/** What the retention policy keeps of a target's base backups and what it drops. */
record BaseBackupPlan(List<CatalogedBase> kept, List<CatalogedBase> doomed) {}
