-- Runs lists are newest first by creation time, then id: this index serves every listing and a
-- date range (since/until) with a seek instead of a walk from the newest run.
CREATE INDEX runs_project_created ON runs (project, created_at, id);
