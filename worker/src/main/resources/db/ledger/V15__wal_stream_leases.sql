-- Issue 15: WAL streaming by the worker fleet. One row per streamed target: which worker streams
-- it, until when (a lease with a heartbeat, on the ledger's clock, like runs), and an epoch that
-- grows with every takeover. The slot column names the target's physical replication slot, so a
-- worker can drop it when the target leaves streaming.
-- (Versioned 15, after the migrations parallel branches add.)
CREATE TABLE wal_streams (
  target           text PRIMARY KEY,
  slot             text NOT NULL,
  worker           text,
  epoch            bigint NOT NULL DEFAULT 0,
  lease_expires_at timestamptz,
  archived_lsn     text,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
