-- Job engine v2 (docs/OPERATIONS.md, "Jobs"). Runs unchanged on H2 and PostgreSQL.

-- A lease is held by one process: its readable instance id plus a token drawn at start-up, so a
-- replica restarted under the same instance id never mistakes its predecessor's leases for its own.
ALTER TABLE jobs ALTER COLUMN lease_owner SET DATA TYPE VARCHAR(200);

-- Retention deletes finished jobs by their end time, in bounded batches (infercache.jobs.retention).
CREATE INDEX jobs_completed_idx ON jobs (completed_at);
