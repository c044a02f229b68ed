-- Issue 4: restore drills mark artifacts verified, prune-backups marks them pruned. A pruned
-- artifact stays in the catalog for audit (which command deleted it, when) but is no backup any more.
-- (Versioned 2.4 so that migrations added by parallel branches as V2, V3 do not collide.)
ALTER TABLE artifacts ADD COLUMN verified_by text;
ALTER TABLE artifacts ADD COLUMN pruned_at timestamptz;
ALTER TABLE artifacts ADD COLUMN pruned_by text;

CREATE INDEX artifacts_command ON artifacts (command_id);
