-- The queue's indexes hold only the jobs they are for: a job's row changes state three times
-- (queued, leased, done), and every index that holds every job is rewritten each time.
-- Jobs waiting for their time (the dispatcher's next wake-up):
DROP INDEX jobs_claim;
CREATE INDEX jobs_waiting ON jobs (available_at) WHERE state = 'queued';
-- Leases that may have expired (the reaper):
DROP INDEX jobs_lease;
CREATE INDEX jobs_leased ON jobs (lease_expires_at) WHERE state = 'leased';
