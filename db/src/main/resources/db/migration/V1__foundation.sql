-- Retouch foundation schema: tenants, API keys, edit jobs with their inputs, outputs and attempts,
-- and the transactional outbox that hands jobs to RabbitMQ.

CREATE TABLE organizations (
    id         uuid PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE datasets (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id),
    name            text        NOT NULL,
    tracking_id     text,
    created_at      timestamptz NOT NULL,
    deleted_at      timestamptz
);
-- A tracking id names one live dataset per organization; a deleted dataset frees its tracking id.
CREATE UNIQUE INDEX datasets_tracking_id_per_org
    ON datasets (organization_id, tracking_id)
    WHERE tracking_id IS NOT NULL AND deleted_at IS NULL;

CREATE TABLE api_keys (
    id              uuid PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organizations (id),
    name            text        NOT NULL,
    -- SHA-256 of the whole key; the key itself is shown once and never stored.
    key_hash        bytea       NOT NULL UNIQUE,
    -- the first characters, so an operator can tell keys apart
    key_prefix      text        NOT NULL,
    role            text        NOT NULL CHECK (role IN ('owner', 'admin', 'read')),
    expires_at      timestamptz,
    revoked_at      timestamptz,
    created_at      timestamptz NOT NULL
);

-- A key with rows here may only be used with these datasets; a key without rows, with any dataset
-- of its organization.
CREATE TABLE api_key_datasets (
    api_key_id uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    dataset_id uuid NOT NULL REFERENCES datasets (id),
    PRIMARY KEY (api_key_id, dataset_id)
);

CREATE TABLE edit_jobs (
    id                  uuid PRIMARY KEY, -- UUIDv7: ids sort by creation time
    organization_id     uuid        NOT NULL REFERENCES organizations (id),
    dataset_id          uuid        NOT NULL REFERENCES datasets (id),
    status              text        NOT NULL
        CHECK (status IN ('queued', 'processing', 'succeeded', 'failed', 'canceled')),
    prompt              text        NOT NULL,
    n                   int         NOT NULL CHECK (n BETWEEN 1 AND 10),
    size                text        NOT NULL,
    quality             text        NOT NULL,
    mime_type           text,
    model               text        NOT NULL,
    -- attempts started; raised only by the claim that also inserts the job_attempts row
    attempts            int         NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz,
    lease_owner         text,
    lease_expires_at    timestamptz,
    cancel_requested_at timestamptz,
    error_code          text,
    error_message       text,
    input_tokens        int,
    output_tokens       int,
    total_tokens        int,
    created_at          timestamptz NOT NULL,
    started_at          timestamptz,
    finished_at         timestamptz,
    updated_at          timestamptz NOT NULL,
    version             bigint      NOT NULL DEFAULT 0
);
CREATE INDEX edit_jobs_by_dataset ON edit_jobs (dataset_id, id DESC);
CREATE INDEX edit_jobs_by_dataset_status ON edit_jobs (dataset_id, status, id DESC);
CREATE INDEX edit_jobs_expiring_leases ON edit_jobs (lease_expires_at) WHERE status = 'processing';

CREATE TABLE job_inputs (
    job_id     uuid NOT NULL REFERENCES edit_jobs (id) ON DELETE CASCADE,
    idx        int  NOT NULL,
    file_name  text NOT NULL,
    -- exactly one source: an object written at intake, or a URL the worker fetches
    s3_key     text,
    source_url text,
    mime_type  text,
    bytes      bigint,
    sha256     text,
    PRIMARY KEY (job_id, idx),
    CHECK ((s3_key IS NULL) <> (source_url IS NULL))
);

CREATE TABLE job_outputs (
    job_id    uuid   NOT NULL REFERENCES edit_jobs (id) ON DELETE CASCADE,
    idx       int    NOT NULL,
    s3_key    text   NOT NULL,
    mime_type text   NOT NULL,
    bytes     bigint NOT NULL,
    sha256    text   NOT NULL,
    PRIMARY KEY (job_id, idx)
);

CREATE TABLE job_attempts (
    job_id        uuid        NOT NULL REFERENCES edit_jobs (id) ON DELETE CASCADE,
    attempt       int         NOT NULL,
    worker_id     text        NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    outcome       text CHECK (outcome IN ('succeeded', 'failed', 'retry', 'canceled', 'lost')),
    error_code    text,
    error_message text,
    PRIMARY KEY (job_id, attempt)
);

-- Written in the same transaction as the job (or its retry); a relay publishes due rows to
-- RabbitMQ with publisher confirms, so a committed job is never left without a message.
CREATE TABLE job_outbox (
    id           bigserial PRIMARY KEY,
    job_id       uuid        NOT NULL REFERENCES edit_jobs (id) ON DELETE CASCADE,
    attempt      int         NOT NULL,
    available_at timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    published_at timestamptz
);
CREATE INDEX job_outbox_due ON job_outbox (available_at) WHERE published_at IS NULL;
