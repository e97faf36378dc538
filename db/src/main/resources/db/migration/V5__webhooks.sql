-- Signed webhooks (Standard Webhooks): endpoints per dataset, a per-job webhook, and one delivery row
-- per (event, target) written by the transaction of the event (io.retouch.db.job.Transitions), so an
-- accepted event is never lost. The worker's dispatcher sends due deliveries and logs each attempt.

-- Secrets are kept as written (whsec_…): signing needs them, and GET …/secret shows them. After a
-- rotation the previous secret signs alongside the new one until previous_secret_expires_at.
CREATE TABLE webhook_endpoints (
    id                          uuid PRIMARY KEY,
    dataset_id                  uuid        NOT NULL REFERENCES datasets (id),
    url                         text        NOT NULL,
    -- the event types it receives; NULL for every type
    events                      text[],
    description                 text,
    enabled                     boolean     NOT NULL,
    -- why it was turned off by Retouch (410 Gone, failing for days), NULL when on or turned off by hand
    disabled_reason             text,
    secret                      text        NOT NULL,
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    -- since when every attempt failed; NULL after a success
    failing_since               timestamptz,
    last_error                  text,
    last_error_at               timestamptz,
    created_at                  timestamptz NOT NULL,
    updated_at                  timestamptz NOT NULL
);
CREATE INDEX webhook_endpoints_by_dataset ON webhook_endpoints (dataset_id) WHERE enabled;

-- The secret that signs per-job webhooks of a dataset, made on first use.
CREATE TABLE webhook_default_secrets (
    dataset_id                  uuid PRIMARY KEY REFERENCES datasets (id),
    secret                      text        NOT NULL,
    previous_secret             text,
    previous_secret_expires_at  timestamptz,
    created_at                  timestamptz NOT NULL
);

-- A job's own webhook (the submission's webhook and webhook_events_filter).
ALTER TABLE edit_jobs
    ADD COLUMN webhook_url    text,
    ADD COLUMN webhook_events text[];

CREATE TABLE webhook_deliveries (
    id               bigserial PRIMARY KEY,
    event_id         bigint      NOT NULL REFERENCES job_events (id) ON DELETE CASCADE,
    job_id           uuid        NOT NULL,
    dataset_id       uuid        NOT NULL,
    -- an endpoint's delivery goes to the endpoint's current url; a per-job one to url
    endpoint_id      uuid REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    url              text,
    status           text        NOT NULL
        CHECK (status IN ('pending', 'delivered', 'exhausted', 'refused', 'gone', 'skipped')),
    -- event (written with the event), replay or redeliver (asked for through the API)
    origin           text        NOT NULL CHECK (origin IN ('event', 'replay', 'redeliver')),
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    -- a dispatcher holds a claimed delivery until lease_expires_at; a crashed one lets it go then
    lease_owner      text,
    lease_expires_at timestamptz,
    last_error       text,
    created_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    CHECK ((endpoint_id IS NULL) <> (url IS NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
-- a job's events reach one target in order: the earlier pending one goes first
CREATE INDEX webhook_deliveries_pending_by_job ON webhook_deliveries (job_id, event_id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id DESC);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (created_at);

CREATE TABLE webhook_attempts (
    delivery_id      bigint      NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt          int         NOT NULL,
    attempted_at     timestamptz NOT NULL,
    -- the answer's status, or NULL when there was none (error says why)
    http_status      int,
    error            text,
    latency_ms       int         NOT NULL,
    -- the first 1 KB of the answer
    response_excerpt text,
    PRIMARY KEY (delivery_id, attempt)
);
