-- Tasks get the times they were planned and last changed, for the list of tasks across runs
-- (GET /api/tasks, newest first). Tasks planned before this migration take their run's creation
-- time, and their last change is their completion or start, else that creation time.
ALTER TABLE tasks ADD COLUMN created_at BIGINT;
ALTER TABLE tasks ADD COLUMN updated_at BIGINT;
UPDATE tasks SET created_at = (SELECT r.created_at FROM runs r WHERE r.id = tasks.run_id);
UPDATE tasks SET updated_at = COALESCE(completed_at, started_at, created_at);
-- The listing walks tasks newest first (the run's project is checked on the run's row).
CREATE INDEX tasks_created ON tasks (created_at, run_id, seq);
