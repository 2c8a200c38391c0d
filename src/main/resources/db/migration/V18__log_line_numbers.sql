-- Each output line's number within its attempt (from 1), kept as it is written, so that a page of
-- a long log shows its line numbers without counting every line before it.
ALTER TABLE task_logs ADD COLUMN n BIGINT;
UPDATE task_logs SET n = numbered.rn
FROM (SELECT pk, ROW_NUMBER() OVER (PARTITION BY run_id, task_name, attempt ORDER BY pk) AS rn
      FROM task_logs) AS numbered
WHERE numbered.pk = task_logs.pk;
