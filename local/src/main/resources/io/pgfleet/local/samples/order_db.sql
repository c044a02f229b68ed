-- order service: orders, their items, and the transactional outbox
SELECT setseed(0.42);
CREATE TABLE orders (
  id          bigserial PRIMARY KEY,
  customer_id bigint      NOT NULL,
  status      text        NOT NULL,
  total_cents bigint      NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE TABLE order_items (
  id          bigserial PRIMARY KEY,
  order_id    bigint NOT NULL REFERENCES orders (id),
  sku         text   NOT NULL,
  quantity    int    NOT NULL,
  price_cents bigint NOT NULL
);
CREATE INDEX order_items_order ON order_items (order_id);
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
CREATE TABLE event_idempotency (
  key        text PRIMARY KEY,
  created_at timestamptz NOT NULL
);

INSERT INTO orders (customer_id, status, total_cents, created_at)
SELECT (random() * 900)::int + 1,
       (ARRAY['pending', 'paid', 'shipped', 'delivered', 'cancelled'])[1 + (i % 5)],
       (random() * 50000)::int + 100,
       now() - (i || ' minutes')::interval
FROM generate_series(1, 3000) AS i;

INSERT INTO order_items (order_id, sku, quantity, price_cents)
SELECT 1 + (i % 3000), 'SKU-' || lpad(((i * 7) % 500)::text, 4, '0'), 1 + (i % 4), (random() * 9000)::int + 100
FROM generate_series(1, 9000) AS i;

INSERT INTO outbox_events (aggregate_id, event_type, payload, status, created_at, processed_at)
SELECT 1 + (i % 3000),
       (ARRAY['OrderCreated', 'OrderPaid', 'OrderShipped'])[1 + (i % 3)],
       jsonb_build_object('orderId', 1 + (i % 3000), 'seq', i),
       CASE WHEN i % 20 = 0 THEN 'failed' WHEN i % 10 = 0 THEN 'pending' ELSE 'published' END,
       now() - ((i % 60) || ' days')::interval,
       CASE WHEN i % 10 = 0 THEN NULL ELSE now() - ((i % 60) || ' days')::interval END
FROM generate_series(1, 4000) AS i;

INSERT INTO event_idempotency (key, created_at)
SELECT 'evt-' || i, now() - ((i % 30) || ' days')::interval
FROM generate_series(1, 2000) AS i;
