-- A run page filtered by status reads one step's tasks of that status in plan order: with seq in
-- the index that is a seek to the first page, not a walk over every task of the run (a fan-out of
-- 100,000) checking each one's status. It serves whatever the old (run_id, step, status) index did.
CREATE INDEX tasks_run_step_status_seq ON tasks (run_id, step, status, seq);
DROP INDEX tasks_run_step_status;
