-- Issue 13: the key schedule command ids are derived with (HMAC-SHA256), so that every replica and
-- every firing of an instant gives the same id, while a producer cannot predict it and pre-empt
-- tomorrow's backup by publishing something else under its id. One row, made at the first start.
CREATE TABLE schedule_id_key (
  one         boolean     PRIMARY KEY DEFAULT true CHECK (one),
  key         bytea       NOT NULL CHECK (length(key) >= 32),
  created_at  timestamptz NOT NULL DEFAULT now()
);
