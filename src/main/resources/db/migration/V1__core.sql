-- Runledger core schema. Timestamps are epoch microseconds (UTC); JSON is stored as text.
-- ${pk} is the dialect's auto-increment primary key (see store/Dialect).

CREATE TABLE definitions (
  project         TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  latest_revision INTEGER NOT NULL,
  archived_at     BIGINT,
  archived_by     TEXT,
  PRIMARY KEY (project, kind, name)
);

CREATE TABLE definition_revisions (
  project         TEXT    NOT NULL,
  kind            TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  revision        INTEGER NOT NULL,
  definition_hash TEXT    NOT NULL,
  body            TEXT    NOT NULL,
  created_at      BIGINT  NOT NULL,
  created_by      TEXT    NOT NULL,
  PRIMARY KEY (project, kind, name, revision)
);
CREATE INDEX definition_revisions_hash ON definition_revisions (project, definition_hash);

CREATE TABLE runs (
  id               TEXT    PRIMARY KEY,
  project          TEXT    NOT NULL,
  workflow         TEXT,
  action           TEXT,
  revision         INTEGER NOT NULL,
  definition_hash  TEXT    NOT NULL,
  engine_version   TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  trigger_type     TEXT    NOT NULL,
  trigger_json     TEXT    NOT NULL,
  triggered_by     TEXT    NOT NULL,
  labels_json      TEXT    NOT NULL,
  parent_run       TEXT,
  parent_task      TEXT,
  parameters_json  TEXT    NOT NULL,
  subjects_matched INTEGER NOT NULL DEFAULT 0,
  actions_invoked  INTEGER NOT NULL DEFAULT 0,
  review_status    TEXT,
  review_by        TEXT,
  review_at        BIGINT,
  review_comment   TEXT,
  cancel_json      TEXT,
  rerun_of         TEXT,
  idempotency_key  TEXT,
  plan_json        TEXT,
  waiting          INTEGER NOT NULL DEFAULT 0,
  created_at       BIGINT  NOT NULL,
  started_at       BIGINT,
  completed_at     BIGINT,
  version          INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX runs_idempotency ON runs (project, triggered_by, idempotency_key);
CREATE INDEX runs_project_id ON runs (project, id);
CREATE INDEX runs_status ON runs (status);
CREATE INDEX runs_workflow_active ON runs (project, workflow, status);

CREATE TABLE run_labels (
  run_id TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
);
CREATE INDEX run_labels_key_value ON run_labels (key, value);

-- Per step of a run: how far its tasks are planned, and how many are in each status (kept in the
-- transaction of every task change, so the planner never scans a run's tasks).
CREATE TABLE run_steps (
  run_id           TEXT    NOT NULL,
  step             TEXT    NOT NULL,
  position         INTEGER NOT NULL,
  state            TEXT    NOT NULL,
  planned          INTEGER NOT NULL DEFAULT 0,
  total            INTEGER,
  upstream_skipped INTEGER NOT NULL DEFAULT 0,
  n_pending        INTEGER NOT NULL DEFAULT 0,
  n_awaiting       INTEGER NOT NULL DEFAULT 0,
  n_queued         INTEGER NOT NULL DEFAULT 0,
  n_running        INTEGER NOT NULL DEFAULT 0,
  n_succeeded      INTEGER NOT NULL DEFAULT 0,
  n_failed         INTEGER NOT NULL DEFAULT 0,
  n_skipped        INTEGER NOT NULL DEFAULT 0,
  n_replayed       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, step)
);

CREATE TABLE tasks (
  run_id          TEXT    NOT NULL,
  name            TEXT    NOT NULL,
  seq             INTEGER NOT NULL,
  step            TEXT    NOT NULL,
  subject_key     TEXT,
  subject_json    TEXT,
  action          TEXT    NOT NULL,
  action_revision INTEGER NOT NULL,
  action_hash     TEXT    NOT NULL,
  parameters_json TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  skip_reason     TEXT,
  idempotency_key TEXT    NOT NULL,
  result_json     TEXT,
  outputs_json    TEXT,
  failure_json    TEXT,
  abort_json      TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  started_at      BIGINT,
  completed_at    BIGINT,
  PRIMARY KEY (run_id, name)
);
CREATE INDEX tasks_run_seq ON tasks (run_id, seq);
CREATE INDEX tasks_run_step_status ON tasks (run_id, step, status);

CREATE TABLE attempts (
  run_id      TEXT    NOT NULL,
  task_name   TEXT    NOT NULL,
  number      INTEGER NOT NULL,
  status      TEXT    NOT NULL,
  started_at  BIGINT  NOT NULL,
  ended_at    BIGINT,
  host        TEXT    NOT NULL,
  exit_code   INTEGER,
  http_status INTEGER,
  error       TEXT,
  PRIMARY KEY (run_id, task_name, number)
);

CREATE TABLE jobs (
  id               TEXT    PRIMARY KEY,
  project          TEXT    NOT NULL,
  run_id           TEXT    NOT NULL,
  task_name        TEXT    NOT NULL,
  state            TEXT    NOT NULL,
  priority         INTEGER NOT NULL DEFAULT 0,
  available_at     BIGINT  NOT NULL,
  attempt          INTEGER NOT NULL DEFAULT 0,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  heartbeat_at     BIGINT,
  timer_due        BIGINT,
  progress_percent INTEGER,
  progress_message TEXT,
  abort_requested  INTEGER NOT NULL DEFAULT 0,
  created_at       BIGINT  NOT NULL,
  updated_at       BIGINT  NOT NULL,
  inline           INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX jobs_task ON jobs (run_id, task_name);
CREATE INDEX jobs_claim ON jobs (state, available_at, priority, id);
-- The claim takes queued jobs in (priority, id) order: this partial index is walked in that order
-- and the walk stops after the limit, instead of sorting every available job (a 100,000-subject
-- fan-out would otherwise sort 100,000 rows to take 8).
-- Worker jobs and inline jobs (built-ins that end at once, run by the claim itself) are claimed
-- with limits of their own, so each kind has its own partial index.
CREATE INDEX jobs_queued ON jobs (priority, id) WHERE state = 'queued' AND inline = 0;
CREATE INDEX jobs_queued_inline ON jobs (priority, id) WHERE state = 'queued' AND inline = 1;
CREATE INDEX jobs_lease ON jobs (state, lease_expires_at);

CREATE TABLE task_logs (
  pk        ${pk},
  run_id    TEXT    NOT NULL,
  task_name TEXT    NOT NULL,
  attempt   INTEGER NOT NULL,
  at        BIGINT  NOT NULL,
  stream    TEXT    NOT NULL,
  line      TEXT    NOT NULL
);
CREATE INDEX task_logs_task ON task_logs (run_id, task_name, attempt, pk);

CREATE TABLE effects (
  project         TEXT   NOT NULL,
  idempotency_key TEXT   NOT NULL,
  run_id          TEXT   NOT NULL,
  task_name       TEXT   NOT NULL,
  result_json     TEXT,
  outputs_json    TEXT,
  recorded_at     BIGINT NOT NULL,
  PRIMARY KEY (project, idempotency_key)
);

CREATE TABLE audit_events (
  pk           ${pk},
  id           TEXT   NOT NULL UNIQUE,
  seq          BIGINT UNIQUE,
  at           BIGINT NOT NULL,
  project      TEXT,
  actor        TEXT   NOT NULL,
  type         TEXT   NOT NULL,
  run_id       TEXT,
  task_name    TEXT,
  target       TEXT   NOT NULL,
  details_json TEXT   NOT NULL,
  prev_hash    TEXT,
  hash         TEXT
);
CREATE INDEX audit_events_run ON audit_events (run_id, pk);
CREATE INDEX audit_events_unsealed ON audit_events (pk) WHERE seq IS NULL;

CREATE TABLE approvals (
  id                  TEXT    PRIMARY KEY,
  project             TEXT    NOT NULL,
  run_id              TEXT    NOT NULL,
  task_name           TEXT    NOT NULL,
  role                TEXT    NOT NULL,
  state               TEXT    NOT NULL,
  allow_self_approval INTEGER NOT NULL DEFAULT 0,
  requested_at        BIGINT  NOT NULL,
  expires_at          BIGINT,
  decided_by          TEXT,
  decided_at          BIGINT,
  comment             TEXT
);
CREATE UNIQUE INDEX approvals_task ON approvals (run_id, task_name);
CREATE INDEX approvals_state ON approvals (project, state, id);
CREATE INDEX approvals_expiry ON approvals (state, expires_at);

CREATE TABLE tokens (
  id            TEXT   PRIMARY KEY,
  name          TEXT   NOT NULL,
  role          TEXT   NOT NULL,
  projects_json TEXT,
  token_hash    TEXT   NOT NULL UNIQUE,
  created_at    BIGINT NOT NULL,
  created_by    TEXT   NOT NULL,
  revoked_at    BIGINT
);

CREATE TABLE secrets (
  project    TEXT   NOT NULL,
  name       TEXT   NOT NULL,
  value      TEXT   NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT   NOT NULL,
  PRIMARY KEY (project, name)
);
