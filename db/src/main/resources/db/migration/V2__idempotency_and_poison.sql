-- Idempotency-Key on submissions: one key names one job per dataset for 24 hours.
CREATE TABLE idempotency_keys (
    dataset_id   uuid        NOT NULL REFERENCES datasets (id),
    key          text        NOT NULL,
    -- SHA-256 of the request as parsed, so the same key with another body is refused
    request_hash text        NOT NULL,
    job_id       uuid        NOT NULL REFERENCES edit_jobs (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (dataset_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- Attempts ended by a worker shutting down or losing its lease are 'lost'; the reaper and the
-- shutdown path record them so attempt history stays complete.
CREATE INDEX job_attempts_open ON job_attempts (job_id) WHERE finished_at IS NULL;
