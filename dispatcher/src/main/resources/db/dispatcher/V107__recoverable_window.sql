-- Per target, the recoverable window the newest base-backup or prune-backups result reported
-- (issue 7): its statistics as sent, and when that run finished.
ALTER TABLE fleet_targets
  ADD COLUMN recoverable_window    jsonb,
  ADD COLUMN recoverable_window_at timestamptz;
