-- what every service keeps and the retention purges clean: the transactional outbox, its archive,
-- idempotency keys, an audit trail and analytics events; a few hundred rows each, some past every
-- policy's age so each purge has work
CREATE TABLE outbox_events (
  id           bigserial PRIMARY KEY,
  aggregate_id bigint      NOT NULL,
  event_type   text        NOT NULL,
  payload      jsonb       NOT NULL,
  status       text        NOT NULL CHECK (status IN ('pending', 'published', 'failed')),
  created_at   timestamptz NOT NULL,
  processed_at timestamptz
);
CREATE INDEX outbox_events_status_processed ON outbox_events (status, processed_at);
CREATE TABLE outbox_events_archive (LIKE outbox_events INCLUDING ALL);
CREATE TABLE event_idempotency (key text PRIMARY KEY, created_at timestamptz NOT NULL);
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY, actor text NOT NULL, action text NOT NULL, "timestamp" timestamptz NOT NULL
);
CREATE TABLE events (
  id bigserial PRIMARY KEY, name text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL
);
INSERT INTO outbox_events (aggregate_id, event_type, payload, status, created_at, processed_at)
SELECT i, 'Changed', jsonb_build_object('seq', i),
       CASE WHEN i % 10 = 0 THEN 'failed' WHEN i % 7 = 0 THEN 'pending' ELSE 'published' END,
       now() - ((i % 60) || ' days')::interval,
       CASE WHEN i % 7 = 0 THEN NULL ELSE now() - ((i % 60) || ' days')::interval END
FROM generate_series(1, 300) AS i;
INSERT INTO event_idempotency SELECT 'evt-' || i, now() - ((i % 30) || ' days')::interval
FROM generate_series(1, 200) AS i;
INSERT INTO audit_events (actor, action, "timestamp")
SELECT 'user-' || (i % 20), 'update', now() - ((i % 180) || ' days')::interval
FROM generate_series(1, 300) AS i;
INSERT INTO events (name, payload, created_at)
SELECT 'page_view', jsonb_build_object('seq', i), now() - ((i % 365) || ' days')::interval
FROM generate_series(1, 300) AS i;
