-- The newest verified backup of each target, learned from verify-backup result events (the
-- statistics' backupFinishedAt), so that the status page no longer reads the worker's catalog.
ALTER TABLE fleet_targets ADD COLUMN last_verified_at timestamptz;
