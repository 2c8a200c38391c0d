-- The principal at the root of a chain of runs: the human or token whose trigger, event or rerun
-- led here through emitted events and child workflow runs (triggered_by is who started this run
-- itself, system:engine for an emitted event). Compared with the approver, beside triggered_by.
-- Runs made before this column began their own chain.
ALTER TABLE runs ADD COLUMN initiated_by TEXT;
UPDATE runs SET initiated_by = triggered_by;
