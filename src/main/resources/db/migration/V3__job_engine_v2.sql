-- Job engine v2 (docs/OPERATIONS.md, "Jobs"). Runs unchanged on H2 and PostgreSQL.

-- A lease is held by one process: its readable instance id plus a token drawn at start-up, so a
-- replica restarted under the same instance id never mistakes its predecessor's leases for its own.
ALTER TABLE jobs ALTER COLUMN lease_owner SET DATA TYPE VARCHAR(200);

-- Retention deletes finished jobs by their end time, in bounded batches (infercache.jobs.retention).
CREATE INDEX jobs_completed_idx ON jobs (completed_at);

-- Every write of a job row also writes each of its indexes. These two served no query: jobs are
-- read by id, recovery reads unfinished jobs through jobs_status_created_idx (there are few), and
-- a key's job in flight is found through job_claims. On H2 each index is one more B-tree rewritten
-- per commit, and key_hash, being random, touched a different page for every job.
DROP INDEX jobs_key_hash_idx;
DROP INDEX jobs_lease_idx;
