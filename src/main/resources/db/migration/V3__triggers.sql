-- Triggers: schedule fires, received events and webhook secrets. Timestamps are epoch microseconds.
-- Needs V2 to have landed first (Flyway applies versions in order; outOfOrder is off).

-- One row per schedule fire. The primary key is what makes a fire happen once, even with several
-- nodes on one PostgreSQL database: the node whose insert wins creates the run.
CREATE TABLE schedule_fires (
  project        TEXT    NOT NULL,
  workflow       TEXT    NOT NULL,
  schedule_index INTEGER NOT NULL,
  fire_time      BIGINT  NOT NULL,
  revision       INTEGER NOT NULL,
  cron           TEXT    NOT NULL,
  run_id         TEXT,
  fired_at       BIGINT  NOT NULL,
  missed         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (project, workflow, schedule_index, fire_time)
);

-- Every event received (CloudEvents, webhooks, emit), deduplicated on (source, id) per project,
-- with the runs it started: the same event again answers with those runs.
CREATE TABLE events (
  project     TEXT   NOT NULL,
  source      TEXT   NOT NULL,
  event_id    TEXT   NOT NULL,
  id          TEXT   NOT NULL UNIQUE,
  type        TEXT   NOT NULL,
  event_json  TEXT   NOT NULL,
  runs_json   TEXT   NOT NULL,
  received_at BIGINT NOT NULL,
  received_by TEXT   NOT NULL,
  PRIMARY KEY (project, source, event_id)
);

-- A workflow's webhook secret, as a SHA-256 hash: the secret itself is shown once, when made.
CREATE TABLE workflow_hooks (
  project     TEXT   NOT NULL,
  workflow    TEXT   NOT NULL,
  secret_hash TEXT   NOT NULL,
  created_at  BIGINT NOT NULL,
  created_by  TEXT   NOT NULL,
  PRIMARY KEY (project, workflow)
);
