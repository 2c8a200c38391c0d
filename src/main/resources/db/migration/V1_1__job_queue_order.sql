-- The claim takes queued jobs in (priority, id) order. jobs_claim (state, available_at, priority, id)
-- cannot give that order, so every claim sorted all available jobs: with 100,000 queued jobs of a
-- fan-out, a claim of 8 cost a sort of 100,000 rows. This partial index is walked in claim order and
-- the walk stops after the limit.
CREATE INDEX jobs_queued ON jobs (priority, id) WHERE state = 'queued';
