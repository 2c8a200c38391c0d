-- An idempotency key replays only the effect of the same action (docs/idempotency.md): an effect
-- records the action that made it. Effects recorded before name it through their task.
ALTER TABLE effects ADD COLUMN action TEXT;
UPDATE effects SET action = (
  SELECT t.action FROM tasks t WHERE t.run_id = effects.run_id AND t.name = effects.task_name);

-- A replayed task names the task whose effect it replays. Replays recorded before name it through
-- the effect of their key (none when the replay came from the outside system's own answer, whose
-- effect is the task itself).
ALTER TABLE tasks ADD COLUMN replay_of_run TEXT;
ALTER TABLE tasks ADD COLUMN replay_of_task TEXT;
UPDATE tasks SET
  replay_of_run = (
    SELECT e.run_id FROM effects e JOIN runs r ON e.project = r.project
    WHERE r.id = tasks.run_id AND e.idempotency_key = tasks.idempotency_key
      AND NOT (e.run_id = tasks.run_id AND e.task_name = tasks.name)),
  replay_of_task = (
    SELECT e.task_name FROM effects e JOIN runs r ON e.project = r.project
    WHERE r.id = tasks.run_id AND e.idempotency_key = tasks.idempotency_key
      AND NOT (e.run_id = tasks.run_id AND e.task_name = tasks.name))
WHERE status = 'idempotent-replay';

-- A step some of whose tasks an approver rejected (or whose approval expired) stops the steps that
-- need it, as a failure does, without failing the run: the decision's skip reason, carried on to
-- the steps skipped because of it.
ALTER TABLE run_steps ADD COLUMN declined TEXT;
