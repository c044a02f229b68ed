-- Profile for bench/RESULTS.md (purge): the database's share of the work, without the inserter,
-- the worker or Kafka. Load the scenario's outbox_events (1 M expired rows, 100 k recent) into a
-- scratch database, then time each of these on a fresh copy:
--
--   DELETE FROM outbox_events WHERE status = 'published' AND processed_at < now() - interval '7 days';
--   CALL purge_by_key(50000);     -- what pgfleet's purge does: keyset batches, a COMMIT each
--   CALL purge_by_block(1000);    -- the alternative: TID range slices of the heap

CREATE OR REPLACE PROCEDURE purge_by_key(n int) LANGUAGE plpgsql AS $$
DECLARE
  cutoff timestamptz := now() - interval '7 days';
  after bigint;
  last bigint;
  upto bigint;
BEGIN
  SELECT id INTO after FROM outbox_events
    WHERE processed_at < cutoff AND status::text = ANY('{published}') ORDER BY id LIMIT 1;
  SELECT id INTO last FROM outbox_events
    WHERE processed_at < cutoff AND status::text = ANY('{published}') ORDER BY id DESC LIMIT 1;
  COMMIT;
  WHILE after IS NOT NULL LOOP
    SELECT coalesce((SELECT id FROM outbox_events WHERE id >= after AND id <= last
                     ORDER BY id OFFSET n - 1 LIMIT 1), last) INTO upto;
    DELETE FROM outbox_events
      WHERE id >= after AND id <= upto AND processed_at < cutoff AND status::text = ANY('{published}');
    COMMIT;
    EXIT WHEN upto = last;
    after := upto + 1;
  END LOOP;
END $$;

CREATE OR REPLACE PROCEDURE purge_by_block(blocks int) LANGUAGE plpgsql AS $$
DECLARE
  cutoff timestamptz := now() - interval '7 days';
  b bigint := 0;
  total bigint := pg_relation_size('outbox_events') / current_setting('block_size')::int;
BEGIN
  WHILE b <= total LOOP
    DELETE FROM outbox_events
      WHERE ctid >= format('(%s,0)', b)::tid AND ctid < format('(%s,0)', b + blocks)::tid
        AND processed_at < cutoff AND status::text = ANY('{published}');
    COMMIT;
    b := b + blocks;
  END LOOP;
END $$;
