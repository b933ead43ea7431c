-- Cache warming (docs/OPERATIONS.md, "Cache warming"). Runs unchanged on H2 and PostgreSQL: plain
-- columns and tables, no vendor syntax.

-- A warm-up (POST /cache/warm): texts computed in the background, behind the clients' misses. Its
-- counters are committed together with the deletion of the texts they count, one batch at a time,
-- so a restart (even a kill -9) resumes at the first text not yet counted. In cluster mode the
-- replica running it holds a lease, as on jobs; on a single instance the lease columns stay NULL.
CREATE TABLE warmups (
    id             UUID                     NOT NULL PRIMARY KEY,
    status         VARCHAR(16)              NOT NULL,
    total          INTEGER                  NOT NULL,
    cached_before  INTEGER                  NOT NULL,
    computed       INTEGER                  NOT NULL,
    failed         INTEGER                  NOT NULL,
    lease_owner    VARCHAR(200),
    lease_until    TIMESTAMP WITH TIME ZONE,
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at   TIMESTAMP WITH TIME ZONE
);

CREATE INDEX warmups_status_idx ON warmups (status, started_at);

-- The texts of a warm-up not counted yet, in the order they were given.
CREATE TABLE warmup_texts (
    warmup_id      UUID                     NOT NULL,
    ordinal        INTEGER                  NOT NULL,
    input_text     VARCHAR(1000000)         NOT NULL,
    PRIMARY KEY (warmup_id, ordinal)
);

-- Entries an operator took out of the cache (DELETE /cache/{key}, ?text=; key_hash NULL: DELETE
-- /cache, every entry). Warming on start skips a result that completed before its key's removal,
-- so a restart does not bring back what was removed. Rows older than the cache's TTL are deleted.
CREATE TABLE cache_invalidations (
    key_hash       CHAR(64),
    model_name     VARCHAR(200),
    model_version  VARCHAR(100),
    invalidated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX cache_invalidations_at_idx ON cache_invalidations (invalidated_at);
