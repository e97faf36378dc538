-- Every status change of a job, as a durable and ordered event, written by the transaction that
-- makes the change (io.retouch.db.job.Transitions, the one place that changes a status).
--
-- Ids increase, but a transaction may commit after one that took a later id. Readers that follow
-- the ids (Server-Sent Events, replays) therefore take only events whose transaction is over:
-- txid below the xmin of their snapshot. An event can then be late, never skipped.
CREATE TABLE job_events (
    id              bigserial PRIMARY KEY,
    txid            xid8        NOT NULL DEFAULT pg_current_xact_id(),
    job_id          uuid        NOT NULL REFERENCES edit_jobs (id) ON DELETE CASCADE,
    dataset_id      uuid        NOT NULL,
    type            text        NOT NULL,
    attempt         int         NOT NULL,
    -- failures and retries: the error; retries: when the next attempt is due
    error_code      text,
    error_message   text,
    next_attempt_at timestamptz,
    created_at      timestamptz NOT NULL,
    -- when the retouch.events exchange confirmed it (the outbox relay)
    published_at    timestamptz
);
CREATE INDEX job_events_by_dataset ON job_events (dataset_id, id);
CREATE INDEX job_events_by_job ON job_events (job_id, id);
CREATE INDEX job_events_unpublished ON job_events (id) WHERE published_at IS NULL;
CREATE INDEX job_events_by_age ON job_events (created_at);
-- a job ends once: its terminal event exists once
CREATE UNIQUE INDEX job_events_one_end ON job_events (job_id)
    WHERE type IN ('edit_image.succeeded', 'edit_image.failed', 'edit_image.canceled');

-- The guards on status, attempt and lease owner are the fence of every change; the counter that
-- nothing read is gone.
ALTER TABLE edit_jobs DROP COLUMN version;
