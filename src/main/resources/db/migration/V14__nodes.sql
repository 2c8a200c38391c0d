-- The nodes serving this store: one row per running incarnation of `runledger serve`, written at
-- start and on every maintenance pass, so GET /api/nodes shows which nodes are alive, what they run
-- and how much. Rows of nodes not seen for a day are removed by the nodes still running.
CREATE TABLE nodes (
  id          TEXT    NOT NULL PRIMARY KEY,
  name        TEXT    NOT NULL,
  version     TEXT    NOT NULL,
  started_at  BIGINT  NOT NULL,
  last_seen   BIGINT  NOT NULL,
  slots       INTEGER NOT NULL,
  running     INTEGER NOT NULL
);
CREATE INDEX nodes_last_seen ON nodes (last_seen);
