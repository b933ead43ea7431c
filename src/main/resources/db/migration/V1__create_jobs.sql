-- Jobs: one row per inference. Runs unchanged on H2 and PostgreSQL.
CREATE TABLE jobs (
    id             UUID                     NOT NULL PRIMARY KEY,
    input_text     VARCHAR(1000000)         NOT NULL,
    key_hash       CHAR(64)                 NOT NULL,
    model_name     VARCHAR(200)             NOT NULL,
    model_version  VARCHAR(100)             NOT NULL,
    store_result   BOOLEAN                  NOT NULL,
    status         VARCHAR(16)              NOT NULL,
    label          VARCHAR(100),
    confidence     DOUBLE PRECISION,
    label_scores   VARCHAR(4000),
    error          VARCHAR(2000),
    attempts       INTEGER                  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE,
    completed_at   TIMESTAMP WITH TIME ZONE,
    version        BIGINT                   NOT NULL
);

CREATE INDEX jobs_status_created_idx ON jobs (status, created_at);
CREATE INDEX jobs_key_hash_idx ON jobs (key_hash);
