-- Per target, the newest successful check-integrity run, learned from its result event: its
-- overall status, the corrupt relations pg_amcheck reported and the worst finding, for the status page.
ALTER TABLE fleet_targets
  ADD COLUMN last_integrity_at          timestamptz,
  ADD COLUMN integrity_status           text,
  ADD COLUMN integrity_corrupt_relations integer,
  ADD COLUMN integrity_worst_finding    jsonb;
