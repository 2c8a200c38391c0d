-- Evidence: artifacts (content-addressed blobs), per-attempt evidence, retention markers.
-- ${blob} is the dialect's binary column type (see store/Dialect).

-- One row per distinct content. On SQLite the bytes live in <data-dir>/blobs/sha256/ab/cdef...
-- and content is NULL; on PostgreSQL they live here so that every node sees them.
CREATE TABLE blobs (
  sha256     TEXT    PRIMARY KEY,
  size       BIGINT  NOT NULL,
  content    ${blob},
  created_at BIGINT  NOT NULL,
  pruned_at  BIGINT
);

-- A file a task consumed or produced: the artifact record stays when retention drops its bytes.
CREATE TABLE artifacts (
  pk         ${pk},
  run_id     TEXT    NOT NULL,
  task_name  TEXT    NOT NULL,
  attempt    INTEGER NOT NULL,
  direction  TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  sha256     TEXT    NOT NULL,
  size       BIGINT  NOT NULL,
  media_type TEXT    NOT NULL,
  created_at BIGINT  NOT NULL
);
CREATE INDEX artifacts_run ON artifacts (run_id, pk);
CREATE INDEX artifacts_sha ON artifacts (sha256, run_id);

-- What one attempt ran and in which environment (rendered argv with secrets masked, executable and
-- its digest, runtime versions, output sizes), as JSON.
CREATE TABLE attempt_evidence (
  run_id        TEXT    NOT NULL,
  task_name     TEXT    NOT NULL,
  attempt       INTEGER NOT NULL,
  evidence_json TEXT    NOT NULL,
  PRIMARY KEY (run_id, task_name, attempt)
);

ALTER TABLE runs ADD COLUMN logs_pruned_at BIGINT;
ALTER TABLE runs ADD COLUMN artifacts_pruned_at BIGINT;
