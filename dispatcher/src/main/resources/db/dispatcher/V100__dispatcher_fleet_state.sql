-- The dispatcher's tables, beside the worker's in schema pgfleet, with their own Flyway history
-- (flyway_dispatcher_history) and versions from 100 so they never collide with the worker's.

-- Every command the fleet knows of: requested through the dispatcher (API, schedules) or seen
-- only in pgfleet.results (sent by other producers). Kept current from the result events.
CREATE TABLE fleet_runs (
  command_id    text PRIMARY KEY,
  target        text        NOT NULL,
  operation     text        NOT NULL,
  source        text,
  status        text        NOT NULL
                CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'rejected', 'expired')),
  params        jsonb,
  requested_at  timestamptz NOT NULL,
  published_at  timestamptz,
  expires_at    timestamptz,
  attempt       integer,
  worker        text,
  started_at    timestamptz,
  finished_at   timestamptz,
  progress      jsonb,
  error         jsonb,
  artifacts     jsonb,
  statistics    jsonb,
  findings      jsonb,
  updated_at    timestamptz NOT NULL
);

CREATE INDEX fleet_runs_requested ON fleet_runs (requested_at DESC);
CREATE INDEX fleet_runs_target_requested ON fleet_runs (target, requested_at DESC);
CREATE INDEX fleet_runs_running ON fleet_runs (target) WHERE status = 'running';

-- Every result event, once (event id), for a run's history.
CREATE TABLE fleet_run_events (
  event_id    text PRIMARY KEY,
  command_id  text        NOT NULL,
  outcome     text        NOT NULL,
  time        timestamptz NOT NULL,
  event       jsonb       NOT NULL
);

CREATE INDEX fleet_run_events_command ON fleet_run_events (command_id, time);

-- Per target, the latest facts the status page shows.
CREATE TABLE fleet_targets (
  target                 text PRIMARY KEY,
  last_backup_at         timestamptz,
  last_backup_command    text,
  last_backup_failed_at  timestamptz,
  last_backup_error      text,
  last_vacuum_at         timestamptz,
  last_health_at         timestamptz,
  health_status          text,
  worst_finding          jsonb,
  updated_at             timestamptz NOT NULL
);

-- Per schedule, the newest instant already handled (fired or missed): the leader's bookmark.
CREATE TABLE schedule_marks (
  schedule         text PRIMARY KEY,
  handled_through  timestamptz NOT NULL
);

-- What happened at each instant of each schedule.
CREATE TABLE schedule_fires (
  schedule    text        NOT NULL,
  instant     timestamptz NOT NULL,
  state       text        NOT NULL CHECK (state IN ('fired', 'missed')),
  decided_at  timestamptz NOT NULL,
  dispatcher  text        NOT NULL,
  commands    integer     NOT NULL DEFAULT 0,
  note        text,
  PRIMARY KEY (schedule, instant)
);
