-- The ledger: one row per command id. A row in state 'running' is a lease: it belongs to the
-- worker named in it until lease_expires_at, and only the holder of its attempt number may
-- move it to a terminal state.
CREATE TABLE runs (
  command_id        text PRIMARY KEY,
  target            text        NOT NULL,
  operation         text        NOT NULL,
  state             text        NOT NULL
                    CHECK (state IN ('running', 'succeeded', 'failed', 'expired')),
  attempt           integer     NOT NULL CHECK (attempt >= 1),
  worker            text        NOT NULL,
  lease_expires_at  timestamptz,
  command           jsonb       NOT NULL,
  first_seen_at     timestamptz NOT NULL DEFAULT now(),
  started_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,
  error_code        text,
  error_message     text,
  report            jsonb,
  -- The terminal result event, kept until Kafka acknowledged it (transactional outbox): a
  -- worker that dies between the ledger write and the publish leaves it here for the next one.
  result_event      bytea,
  result_published  boolean     NOT NULL DEFAULT false,
  CHECK ((state = 'running') = (lease_expires_at IS NOT NULL))
);

CREATE INDEX runs_target_started ON runs (target, started_at DESC);
CREATE INDEX runs_unpublished ON runs (command_id) WHERE NOT result_published AND state <> 'running';

-- The artifact catalog: complete artifacts only (their manifest exists).
CREATE TABLE artifacts (
  uri           text PRIMARY KEY,
  manifest_uri  text        NOT NULL,
  command_id    text        NOT NULL REFERENCES runs (command_id),
  target        text        NOT NULL,
  kind          text        NOT NULL,
  bytes         bigint      NOT NULL,
  sha256        text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  verified_at   timestamptz
);

CREATE INDEX artifacts_target_created ON artifacts (target, created_at DESC);
