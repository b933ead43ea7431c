-- Cluster mode (docs/CLUSTER.md). Runs unchanged on H2 and PostgreSQL: plain columns, a plain
-- table and a plain primary key; no partial index, no vendor syntax.

-- The lease of a job: the replica that runs it and until when. A replica renews its leases while
-- it lives; a job whose lease has run out is taken over by another replica, and only the lease
-- owner may record the job's end. Left NULL in single-instance mode.
ALTER TABLE jobs ADD COLUMN lease_owner VARCHAR(100);
ALTER TABLE jobs ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;

CREATE INDEX jobs_lease_idx ON jobs (status, lease_until);

-- One job in flight per key across replicas: the primary key admits one claim per key; a second
-- replica's insert fails and it answers with the holder's job. A claim whose job has finished is
-- stale and is removed (by the next claimer of the key, and by the periodic recovery pass).
CREATE TABLE job_claims (
    key_hash       CHAR(64)                 NOT NULL,
    model_name     VARCHAR(200)             NOT NULL,
    model_version  VARCHAR(100)             NOT NULL,
    job_id         UUID                     NOT NULL,
    claimed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (key_hash, model_name, model_version)
);

CREATE INDEX job_claims_job_idx ON job_claims (job_id);
