-- The ledger and one sample target on the same laptop server.
CREATE ROLE pgfleet LOGIN PASSWORD 'pgfleet-local';
CREATE DATABASE pgfleet OWNER pgfleet;
CREATE ROLE order_user LOGIN PASSWORD 'pgfleet-local';
CREATE DATABASE order_db OWNER order_user;
\connect order_db order_user
CREATE TABLE orders (id bigserial PRIMARY KEY, customer text NOT NULL, total numeric(12, 2) NOT NULL,
                     created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO orders (customer, total)
SELECT 'customer-' || g, (g % 500) + 0.99 FROM generate_series(1, 10000) g;
