-- warehouse service: inventory, stock movements, reservations, audit trail
SELECT setseed(0.73);
CREATE TABLE inventory (
  sku      text PRIMARY KEY,
  on_hand  int  NOT NULL,
  reserved int  NOT NULL
);
CREATE TABLE stock_movements (
  id         bigserial PRIMARY KEY,
  sku        text        NOT NULL REFERENCES inventory (sku),
  delta      int         NOT NULL,
  reason     text        NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE reservations (
  id         bigserial PRIMARY KEY,
  sku        text        NOT NULL REFERENCES inventory (sku),
  order_id   bigint      NOT NULL,
  quantity   int         NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE TABLE audit_events (
  id          bigserial PRIMARY KEY,
  actor       text        NOT NULL,
  action      text        NOT NULL,
  "timestamp" timestamptz NOT NULL
);
CREATE INDEX audit_events_timestamp ON audit_events ("timestamp");

INSERT INTO inventory (sku, on_hand, reserved)
SELECT 'SKU-' || lpad(i::text, 4, '0'), (random() * 1000)::int, (random() * 50)::int
FROM generate_series(0, 499) AS i;

INSERT INTO stock_movements (sku, delta, reason, created_at)
SELECT 'SKU-' || lpad((i % 500)::text, 4, '0'), (random() * 40)::int - 20,
       (ARRAY['receipt', 'pick', 'adjustment'])[1 + (i % 3)], now() - (i || ' minutes')::interval
FROM generate_series(1, 6000) AS i;

INSERT INTO reservations (sku, order_id, quantity, expires_at)
SELECT 'SKU-' || lpad((i % 500)::text, 4, '0'), i, 1 + (i % 3), now() + ((i % 48) || ' hours')::interval
FROM generate_series(1, 1200) AS i;

INSERT INTO audit_events (actor, action, "timestamp")
SELECT 'user-' || (i % 40), (ARRAY['login', 'adjust-stock', 'release-reservation'])[1 + (i % 3)],
       now() - ((i % 180) || ' days')::interval
FROM generate_series(1, 3000) AS i;
