-- payment service: payments, stored methods, ledger transactions
SELECT setseed(0.17);
CREATE TABLE payment_methods (
  id          bigserial PRIMARY KEY,
  customer_id bigint NOT NULL,
  kind        text   NOT NULL,
  last4       text   NOT NULL
);
CREATE TABLE payments (
  id           bigserial PRIMARY KEY,
  order_id     bigint      NOT NULL,
  method_id    bigint      NOT NULL REFERENCES payment_methods (id),
  amount_cents bigint      NOT NULL,
  status       text        NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE TABLE transactions (
  id          bigserial PRIMARY KEY,
  payment_id  bigint      NOT NULL REFERENCES payments (id),
  kind        text        NOT NULL,
  amount_cents bigint     NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE TABLE event_idempotency (
  key        text PRIMARY KEY,
  created_at timestamptz NOT NULL
);

INSERT INTO payment_methods (customer_id, kind, last4)
SELECT i, (ARRAY['card', 'sepa', 'wallet'])[1 + (i % 3)], lpad((i * 37 % 10000)::text, 4, '0')
FROM generate_series(1, 900) AS i;

INSERT INTO payments (order_id, method_id, amount_cents, status, created_at)
SELECT i, 1 + (i % 900), (random() * 50000)::int + 100,
       (ARRAY['authorized', 'captured', 'refunded'])[1 + (i % 3)], now() - (i || ' minutes')::interval
FROM generate_series(1, 2500) AS i;

INSERT INTO transactions (payment_id, kind, amount_cents, created_at)
SELECT 1 + (i % 2500), (ARRAY['auth', 'capture', 'refund'])[1 + (i % 3)], (random() * 50000)::int, now() - (i || ' minutes')::interval
FROM generate_series(1, 5000) AS i;

INSERT INTO event_idempotency (key, created_at)
SELECT 'pay-' || i, now() - ((i % 30) || ' days')::interval
FROM generate_series(1, 1500) AS i;
