-- An attempt's evidence is stored on the attempt's row, written with the attempt's end: one row
-- and one index entry fewer per attempt than a table of its own.
ALTER TABLE attempts ADD COLUMN evidence_json TEXT;
UPDATE attempts SET evidence_json = (
  SELECT e.evidence_json FROM attempt_evidence e
  WHERE e.run_id = attempts.run_id AND e.task_name = attempts.task_name
    AND e.attempt = attempts.number);
DROP TABLE attempt_evidence;
